"""The default drop-down lists of the Lister sheet (a team may extend them in the workbook)."""

BRANCHER: tuple[str, ...] = (
    "Landbrug, skovbrug og fiskeri",
    "Råstofindvinding",
    "Industri",
    "Energiforsyning",
    "Vandforsyning og renovation",
    "Bygge og anlæg",
    "Handel",
    "Transport",
    "Hoteller og restauranter",
    "Information og kommunikation",
    "Finansiering og forsikring",
    "Ejendomshandel og udlejning",
    "Videnservice",
    "Rejsebureauer, rengøring og anden operationel service",
    "Offentlig administration, forsvar og politi",
    "Undervisning",
    "Sundhed og socialvæsen",
    "Kultur og fritid",
    "Andre serviceydelser mv.",
    "Private husholdninger med ansat medhjælp",
    "Uoplyst aktivitet",
)
"""Danmarks Statistik's Dansk Branchekode 2007 (DB07), standard grouping in 21 sections (A–U, X),
Danish short names, without U (extraterritorial organisations, not relevant to a jobcentre)."""

JOBFUNKTIONER: tuple[str, ...] = (
    "Administration og kontor",
    "Butik og salg",
    "Chauffør og transport",
    "Håndværk og byggeri",
    "Hjælpekok",
    "Kok og køkken",
    "Lager og logistik",
    "Landbrug og gartneri",
    "Pædagogisk arbejde",
    "Produktion og industri",
    "Rengøring",
    "Service og tjener",
    "Social- og sundhedsarbejde",
    "IT",
    "Andet",
)
"""A starter list; teams add their own job functions on the Lister sheet."""

INGEN_AABNING = "Ingen åbning"
RESULTATER: tuple[str, ...] = (INGEN_AABNING, "Ordinær åbning", "Praktikplads", "Løntilskud")
"""Results of a contact: no opening, an ordinary job opening, a work placement, a wage-subsidy job."""
