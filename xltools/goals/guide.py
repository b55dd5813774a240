"""The Vejledning sheet's text (Danish): how the team uses the workbook, day to day, without xltools."""

from __future__ import annotations

from xltools.goals.calculations import BAGUD_UNDER, FORAN_FRA

GUIDE_TEXT: tuple[tuple[str, str], ...] = (
    ("title", "Vejledning – Målstyring"),
    (
        "wrap",
        "Teamet registrerer hver uge, hvad hver medarbejder har nået (Real), og evt. ugens mål (Mål), på fanen for "
        "ugen. Forsiden viser årets registreringer mod målene i beskæftigelsesplanen. Alt regnes af almindelige "
        "formler i regnearket – der skal ikke køres noget program for at tallene er rigtige.",
    ),
    ("bold", "Ugearkene"),
    (
        "wrap",
        "Skriv i de gule celler. Antal skrives som hele tal (0 eller mere), timer med højst én decimal (fx 2,5). "
        "Excel afviser andet. Kommer en forkert værdi alligevel ind (fx ved indsæt), bliver cellen rød, ugen viser en "
        "advarsel, og Forsiden tæller den under »Ugyldige registreringer«, indtil den er rettet. En tom celle betyder "
        "»intet registreret« – ikke 0.",
    ),
    ("bold", "Opsætning: omdøbning, nye og fjernede medarbejdere eller indikatorer"),
    (
        "wrap",
        "Navne på medarbejdere, indikatorer, sektioner og enheder hentes fra Opsætning med formler. Omdøber I en "
        "medarbejder eller en indikator, står det nye navn på alle ugeark med det samme – der skal ikke gøres mere.",
    ),
    (
        "wrap",
        "Tilføjer I en medarbejder eller en indikator (skriv navnet i en tom række), fjerner I en (slet navnet eller "
        "rækken), flytter I rækker, skifter en indikators enhed eller sektion, viser kolonnen Status på Opsætning "
        "hvad der er ændret, og Forsiden viser en rød advarsel. Ugearkene bygges så om med kommandoen "
        "»xltools rebuild« eller knappen »Genopbyg efter ændret opsætning«. Alle registreringer følger med; "
        "registreringer for en fjernet medarbejder eller indikator gemmes på fanen Arkiv og tæller stadig med i "
        "teamets tal.",
    ),
    (
        "wrap",
        "Ugevægte: 1 = fuld arbejdsuge, 0 = ferieuge, 0,5 = halv uge – tempoet følger det rigtige arbejdsår.",
    ),
    ("bold", "Forsiden"),
    (
        "wrap",
        "Real og Mål til dato summerer de uger, der er gået pr. opgørelsesdatoen (normalt i dag). Opfyldelse "
        "sammenligner med teamets egne ugemål. Status sammenligner med planens tempo og er farvet: bagud (rød) under "
        f"{BAGUD_UNDER * 100:.0f} %, på sporet (grøn), foran (blå) fra {FORAN_FRA * 100:.0f} %"
        " – grænserne kan ændres i Opsætning."
        " »Ingen mål« og »–« "
        "(før første uge er gået) er grå. Linkene fører til den aktuelle uge og til hver uge. Graferne står på "
        "fanen Grafer.",
    ),
    ("bold", "Udskrivning"),
    (
        "wrap",
        "Alle faner er sat op til A4 med sidetal i sidefoden; brede ark udskrives på tværs og tilpasses bredden.",
    ),
    ("bold", "Ældre Excel"),
    (
        "wrap",
        "Arbejdsbogen bruger ingen dynamiske matrixformler. Alt virker derfor også i Excel 2010, 2013, 2016 og 2019 "
        "og i LibreOffice – ikke kun i Excel 2021 og Microsoft 365.",
    ),
    ("bold", "Opmærksomhedspunkter"),
    (
        "wrap",
        "Afsæt tid i kalenderen til registreringen, og følg op fast – lederen gerne med de første gange. "
        "Efter to-tre uger drøfter teamet, om antallet er tilstrækkeligt i forhold til målene.",
    ),
)
