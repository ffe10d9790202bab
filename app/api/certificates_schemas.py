"""Schemas of the SPS certificate export (documenting the JSON form; the XML mirrors it)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class DocumentFormatSchema(Schema):
    """?format= of the documents the API writes in both forms (certificates, emergency action notices)."""

    class Meta:
        unknown = RAISE

    format = fields.String(load_default="json", validate=validate.OneOf(("json", "xml")))


class CertificatePartySchema(Schema):
    name = fields.String()
    tax_id = fields.String()
    country = fields.String()


class CertificateSiteSchema(Schema):
    code = fields.String()
    name = fields.String()
    state = fields.String()
    country = fields.String()


class CertificateDocumentSchema(Schema):
    id = fields.String()
    type_code = fields.String(metadata={"description": "UN/EDIFACT 1001: 851, phytosanitary certificate"})
    name = fields.String()
    issued_at = fields.String(metadata={"format": "date-time"})
    issuer = fields.String()


class CertificateCommoditySchema(Schema):
    code = fields.String()
    name_en = fields.String()
    name_es = fields.String()
    hs_code = fields.String()


class CertificateQuantitySchema(Schema):
    value = fields.Integer()
    unit = fields.String()
    unit_code = fields.String(metadata={"description": "UN/ECE Recommendation 20/21 code"})


class CertificateOriginSchema(Schema):
    country = fields.String()
    subdivision = fields.String()


class CertificateTradeLineItemSchema(Schema):
    sequence = fields.Integer()
    commodity = fields.Nested(CertificateCommoditySchema)
    quantity = fields.Nested(CertificateQuantitySchema)
    origin = fields.Nested(CertificateOriginSchema)
    packhouse = fields.String()


class CertificateInspectorSchema(Schema):
    code = fields.String()
    name = fields.String()
    agency = fields.String()


class CertificateExaminationSchema(Schema):
    kind = fields.String()
    date = fields.String(metadata={"format": "date"})
    start = fields.String(metadata={"format": "date-time"})
    end = fields.String(metadata={"format": "date-time"})
    site = fields.Nested(CertificateSiteSchema)
    result = fields.String(allow_none=True)
    findings = fields.String(allow_none=True)
    inspectors = fields.List(fields.Nested(CertificateInspectorSchema))
    agencies = fields.List(fields.String())


class CertificateReasonSchema(Schema):
    code = fields.String(allow_none=True)
    text = fields.String()


class CertificateBorderDecisionSchema(Schema):
    decision = fields.String()
    rule = fields.String(allow_none=True)
    rule_version = fields.Integer(allow_none=True)
    basis = fields.String()
    decided_at = fields.String(metadata={"format": "date-time"})
    reasons = fields.List(fields.Nested(CertificateReasonSchema))


class CertificateSealSchema(Schema):
    number = fields.String()
    kind = fields.String()
    status = fields.String()
    issuer = fields.String(allow_none=True, metadata={"description": "who issued the seal: CBP, APHIS or SENASICA"})
    iso_class = fields.String(allow_none=True, metadata={"description": "ISO 17712 class: H, S or I"})


class CertificateTransportSchema(Schema):
    mode_code = fields.String(metadata={"description": "UN/ECE Recommendation 19: 3, road"})
    mode = fields.String()


class CertificateConsignmentSchema(Schema):
    reference = fields.String()
    status = fields.String()
    consignor = fields.Nested(CertificatePartySchema)
    consignee = fields.Nested(CertificatePartySchema)
    export_country = fields.String()
    import_country = fields.String()
    port_of_entry = fields.Nested(CertificateSiteSchema)
    transport = fields.Nested(CertificateTransportSchema)
    seals = fields.List(fields.Nested(CertificateSealSchema))
    trade_line_items = fields.List(fields.Nested(CertificateTradeLineItemSchema))
    examination = fields.Nested(CertificateExaminationSchema)
    border_decision = fields.Nested(CertificateBorderDecisionSchema, allow_none=True)


class CertificateSchema(Schema):
    format = fields.String()
    document = fields.Nested(CertificateDocumentSchema)
    consignment = fields.Nested(CertificateConsignmentSchema)
