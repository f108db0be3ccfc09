"""The project's vocabulary as Python names.

`RG` is a closed `DefinedNamespace`: a misspelt term raises instead of silently minting a new IRI.
A test checks that it and `ontology/rightsgraph.ttl` declare exactly the same terms, so the two
cannot drift apart.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/rightsgraph/ontology"
VOCAB_BASE = "https://w3id.org/rightsgraph/vocab/"
DEFAULT_BASE = "https://w3id.org/rightsgraph/"

ORG = Namespace("http://www.w3.org/ns/org#")
SDG = Namespace("http://metadata.un.org/sdg/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
WD = Namespace("http://www.wikidata.org/entity/")
VOCAB = Namespace(VOCAB_BASE)


class RG(DefinedNamespace):
    """Terms of https://w3id.org/rightsgraph/ontology# (see ontology/rightsgraph.ttl)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    State: URIRef
    Mechanism: URIRef
    UPRSession: URIRef
    UPRReview: URIRef
    Document: URIRef
    FollowUpItem: URIRef
    UPRRecommendation: URIRef
    VoluntaryPledge: URIRef
    OHCHRRecommendation: URIRef
    CERDDecision: URIRef
    SpecialProcedureCall: URIRef
    ReportingObligation: URIRef
    TreatyBodyFollowUpRequest: URIRef
    Response: URIRef
    SourceFile: URIRef
    Load: URIRef
    Rejection: URIRef

    # State
    iso2: URIRef
    iso3: URIRef
    m49: URIRef
    regionalGroup: URIRef
    unStatus: URIRef

    # UPR sessions and reviews
    sessionNumber: URIRef
    year: URIRef
    cycle: URIRef
    session: URIRef
    stateUnderReview: URIRef

    # follow-up items
    addressedTo: URIRef
    issuedBy: URIRef
    recommendedBy: URIRef
    pledgedBy: URIRef
    recommendingStateUnknown: URIRef
    review: URIRef
    text: URIRef
    paragraph: URIRef
    issue: URIRef
    actionCategory: URIRef
    sourceRecord: URIRef
    dueDate: URIRef
    quote: URIRef

    # responses
    hasResponse: URIRef
    responseTo: URIRef
    position: URIRef
    respondent: URIRef

    # loads
    sha256: URIRef
    fileName: URIRef
    loader: URIRef
    loaderVersion: URIRef
    rowsRead: URIRef
    rowsLoaded: URIRef
    rowsRejected: URIRef
    recordsLoaded: URIRef
    rejection: URIRef
    row: URIRef
    reason: URIRef

    # --- treaty bodies and Human Rights Council (ontology/treaty-bodies.ttl, ontology/hrc.ttl) ---
    TreatyStatus: URIRef
    FollowUpAssessment: URIRef
    FollowUpGrade: URIRef
    monitors: URIRef
    concernsState: URIRef
    instrument: URIRef
    treatyStatus: URIRef
    partySince: URIRef
    denouncedIn: URIRef
    asOf: URIRef
    assessmentOf: URIRef
    committeeSession: URIRef
    sessionDates: URIRef
    hasGrade: URIRef
    grade: URIRef
    limb: URIRef
    limbNumber: URIRef
    evaluation: URIRef
    fromSummaryTable: URIRef
    summaryGrades: URIRef
    followUpReply: URIRef
    dueYear: URIRef
    reportNumber: URIRef
    submissionDate: URIRef
    overdueAsReported: URIRef
    statedOn: URIRef
    HRCSession: URIRef
    HRCResolution: URIRef
    hrcSession: URIRef
    hrcSessionNumber: URIRef
    sessionType: URIRef
    outcome: URIRef
    countrySpecific: URIRef
    subjectState: URIRef
    recordedVote: URIRef

    # --- UPR sources: OHCHR matrices, UHRI exports, reconciliation (ontology/upr-sources.ttl) ---
    Reconciliation: URIRef
    workingGroupReport: URIRef
    affectedPersons: URIRef
    sdg: URIRef
    themeLabel: URIRef
    affectedPersonsLabel: URIRef
    implementationComment: URIRef
    provisional: URIRef
    mergedInto: URIRef
    matchMethod: URIRef
    matchScore: URIRef
    unmatchedReason: URIRef
    reconciles: URIRef
    preferredResponse: URIRef
    conflictingResponse: URIRef
    recordsCompared: URIRef
    recordsMatched: URIRef
    recordsUnmatched: URIRef
    recommendationCount: URIRef

    # --- follow-up items: OHCHR reports, CERD, special procedures, curated facts (ontology/follow-up-items.ttl) ---
    DeclaredResponseSummary: URIRef
    PositionCount: URIRef
    DocumentResponse: URIRef
    ResponseStatement: URIRef
    StatedFact: URIRef
    issuedIn: URIRef
    earliestDate: URIRef
    latestDate: URIRef
    concernsPerson: URIRef
    form: URIRef
    procedure: URIRef
    requestedAction: URIRef
    mandateHolderCount: URIRef
    mandateHolderCountAsStated: URIRef
    mandate: URIRef
    repeats: URIRef
    declaredTotal: URIRef
    positionCount: URIRef
    declaredCount: URIRef
    respondsTo: URIRef
    scope: URIRef

    # --- follow-up status (ontology/status.ttl) ---
    FollowUpAction: URIRef
    actsOn: URIRef


__all__ = [
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "EU_COUNTRY",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "RG",
    "SDG",
    "SKOS",
    "VOCAB",
    "VOCAB_BASE",
    "VOID",
    "WD",
    "XSD",
]
