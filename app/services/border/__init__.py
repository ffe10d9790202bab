"""At the joint inspection and at the border: the inland result and its seals, seal numbers and the seal stock
issued to sites, electronic seal events, the officer's seal verification and reinstatement, the border
inspection's result, certificates."""
