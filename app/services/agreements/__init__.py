"""Mutual-recognition agreements and their lifecycle, versioned recognition rules, the Joint Work Plans'
milestones and measures and the measures' figures, the trusted-trader register, changes both parties approve,
and pilots with their gates."""
