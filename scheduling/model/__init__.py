"""The CP-SAT model of free requests around fixed bookings: candidates, variables, rules, objective, run."""

from scheduling.model.candidates import Candidate, CandidateCache
from scheduling.model.joint_model import JointModel, RequestVars
from scheduling.model.run import RunResult, run_model

__all__ = ["Candidate", "CandidateCache", "JointModel", "RequestVars", "RunResult", "run_model"]
