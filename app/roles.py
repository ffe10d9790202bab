"""Who is who: the roles, the agencies, and the named groups of roles that pages, the API and services check.

One place, so that "staff who read every shipment" cannot mean one set here and another there.
"""

from __future__ import annotations

EXPORTER, COORDINATOR, INSPECTOR, OFFICER, SUPERVISOR, ADMIN = (
    "exporter", "coordinator", "inspector", "officer", "supervisor", "admin")
ROLES = (EXPORTER, COORDINATOR, INSPECTOR, OFFICER, SUPERVISOR, ADMIN)
AGENCIES = ("APHIS", "SENASICA", "CBP")

# People who work for an agency (an exporter works for a company, an administrator for the system).
AGENCY_ROLES = (COORDINATOR, INSPECTOR, OFFICER, SUPERVISOR)
# The program's staff: they read every shipment, agreement, measure and resource (exporters read their own).
PROGRAM_STAFF = (COORDINATOR, SUPERVISOR, ADMIN)
# Whoever may read shipments at all, each within their scope.
SHIPMENT_READERS = (EXPORTER, *PROGRAM_STAFF)
# They plan: sites, inspectors, shifts, optimizer runs, publishing, agreements and rules.
PLANNERS = (COORDINATOR, ADMIN)
# The avoided-redundancy dashboard and the audit log.
OVERSEERS = (SUPERVISOR, ADMIN)

# Administrations that keep a trusted-trader program or own Joint Work Plan tasks without accounts here:
# SAT/ANAM grants Mexico's OEA. Its approvals are recorded by SENASICA's staff, with SAT's written reference.
ADMINISTRATIONS = AGENCIES + ("SAT",)
COUNTRY_OF = {"APHIS": "US", "CBP": "US", "SENASICA": "MX", "SAT": "MX"}
RECORDED_FOR = {"SAT": "SENASICA"}
# They approve, each for their own agency, a change both parties must agree (rule versions, agreement status,
# milestone completion, gate decisions).
APPROVERS = (COORDINATOR, SUPERVISOR)
# The trusted-trader register: coordinators and administrators keep it; CBP officers read it beside the staff.
REGISTER_KEEPERS = PLANNERS
REGISTER_READERS = (*PROGRAM_STAFF, OFFICER)
