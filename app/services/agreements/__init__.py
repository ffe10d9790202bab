"""Mutual-recognition agreements and their lifecycle, versioned recognition rules, the Joint Work Plan's
milestones and measures, and the measures' figures."""
