"""Properties of the segments ``make_alternative_routes.py`` derives (names, statuses, sources, notes).

``trace`` says how the geometry is made: ``osm`` through the OpenStreetMap stations listed in
``make_alternative_routes.RAIL`` (ODbL), ``bank:IRN`` along the Natural Earth river border on Iran's bank
(``bank:IRN:3.0``: 3 km in, so that a parallel line stays visible beside the road), or
``straight`` between its two nodes (a bridge).
"""

OSM_NOTE = ("Vertices are OpenStreetMap railway stations in line order (© OpenStreetMap contributors, ODbL 1.0, via "
            "njfinney/Asia_Railway_Calculator data/stations), derived by tools/make_alternative_routes.py; spans over "
            "45 km get straight intermediate vertices.")
BANK_NOTE = ("Drawn on the Iranian bank of the Aras: the Natural Earth 1:10m river border offset 1.5 km into Iran, a "
             "vertex every ~5 km (tools/make_alternative_routes.py), as the Horadiz–Aghband and Meghri lines are "
             "drawn on theirs; the road's own alignment (17 tunnels) is not published and not traced.")

SEGMENTS = [
    {"corridor": "middle_corridor", "segment": "istanbul_kapikule", "trace": "osm",
     "name": "Istanbul (Halkalı) – Edirne – Kapıkule railway (EU border with Bulgaria)", "mode": "rail",
     "status": "operating", "from": "istanbul", "to": "kapikule", "accuracy": "medium",
     "source": ("OpenStreetMap stations (ODbL); Wikipedia 'Kapıkule railway station' (TCDD border station, opened "
                "1971 with the Edirne cut-off; busiest railway border crossing of Türkiye); World Bank (2023), "
                "Middle Trade and Transport Corridor (rail to Europe through Türkiye)"),
     "via": ("Halkalı; Ispartakule; Kabakça; Sinekli; Çerkezköy; Çorlu; Muratlı; Lüleburgaz; Alpullu; Pehlivanköy; "
             "Edirne; Kapıkule"),
     "note": ("The Middle Corridor's rail entry to the EU: Kapıkule (TR) – Kapitan Andreevo/Svilengrad (BG). The "
              "conventional Halkalı–Kapıkule line; the parallel Halkalı–Kapıkule high-speed line is under "
              "construction and not drawn. " + OSM_NOTE)},
    {"corridor": "aras_route", "segment": "aghband_kalaleh", "trace": "straight",
     "name": "Aghband – Kalaleh road bridge over the Araz", "mode": "road", "status": "construction",
     "from": "aghband", "to": "kalaleh", "accuracy": "low",
     "source": ("Caspian News 2023-10-07 (groundbreaking 6 Oct 2023 under the March 2022 MoU); Report.az 2025-10-13 "
                "and 2026-02-23 (bridge completed; border and customs infrastructure to follow, then opening)"),
     "via": "Araz bridge", "note": ("Road bridge (216–220 m) between Aghband (Zangilan, AZ) and Kalaleh (East "
                                    "Azerbaijan province, IR). Status construction: the bridge was reported "
                                    "complete in Feb 2026 but is not in operation until the border crossing is "
                                    "built. End points only.")},
    {"corridor": "aras_route", "segment": "kalaleh_jolfa", "trace": "bank:IRN",
     "name": "Kalaleh – Jolfa highway along the Aras (Aras corridor)", "mode": "road", "status": "construction",
     "from": "kalaleh", "to": "jolfa_ir", "accuracy": "low",
     "source": ("Mehr News 2024 (Aras corridor: road and rail, 107 km from Kalaleh, 21 bridges and 5 large bridges); "
                "Interfax 2022-04-05 (the MoU's highway: 55 km); "
                "Trend 2025 (Kalaleh–Jolfa highway, 107 km, 17 tunnels, completion expected the following August); "
                "Natural Earth 1:10m IR–AZ/AM border (Aras)"),
     "via": "Kalaleh; Nordooz (Norduz, opposite Agarak); Jolfa",
     "note": ("Iran's alternative to the Meghri section: a road from Aghband through Iran to Jolfa, opposite "
              "Julfa in Nakhchivan (the March 2022 MoU's highway was 55 km, ending at Nakhchivan's eastern border; "
              "Iran now builds it on to Jolfa). Drawn ~86 km against the published 107 km (the river border of the "
              "1:10m map "
              "cuts the meanders). " + BANK_NOTE)},
    {"corridor": "aras_route", "segment": "aghband_kalaleh_rail", "trace": "straight",
     "name": "Aghband – Kalaleh railway bridge over the Araz (proposed)", "mode": "rail", "status": "proposed",
     "from": "aghband", "to": "kalaleh", "accuracy": "low",
     "source": ("Interfax 2022-04-05 (MoU of 11 March 2022: two road and two rail bridges over the Araz); Caspian "
                "News 2023-10-07 (a railway bridge is also planned at Aghband)"),
     "via": "Araz rail bridge",
     "note": "Continues the Horadiz–Aghband railway into Iran beside the road bridge. End points only."},
    {"corridor": "aras_route", "segment": "kalaleh_kotam_rail", "trace": "bank:IRN:3.0",
     "name": "Kalaleh – Kotam (Nakhchivan) railway along the Iranian bank (proposed)", "mode": "rail",
     "status": "proposed", "from": "kalaleh", "to": "ordubad_border", "accuracy": "low",
     "source": ("Interfax 2022-04-05 (MoU of 11 March 2022: new rail and road links via Iran, four bridges over the "
                "Araz, two for road and two for rail, a 55 km highway with the railway parallel to it); "
                "alphanews.am 2023-10-26 (Russian Deputy PM Overchuk: 42 km through Armenia against 50 km through "
                "Iran); Trend 2023-10-27 (Iranian minister Bazrpash: a railway from Aghband through Iran to Julfa)"),
     "via": "Kalaleh; Nordooz (Norduz); Araz rail bridge; Kotam",
     "note": ("Iran's rail alternative to the Meghri section: cross the Araz at Aghband, run ~50 km on the Iranian "
              "bank opposite Armenia's Meghri strip and cross back into Nakhchivan at its eastern end (Kotam), "
              "where the Nakhchivan railway resumes. No design, funding or works reported (the MoU asked for "
              "funding proposals within six months); Bazrpash's 2023 version runs on to Julfa instead. Drawn 3 km "
              "from the river rather than 1.5 km, beside the highway, so that both stay visible. " + BANK_NOTE)},
    {"corridor": "aras_route", "segment": "jolfa_julfa", "trace": "osm",
     "name": "Jolfa (Iran) – Julfa (Nakhchivan) railway bridge over the Aras", "mode": "rail",
     "status": "operating", "from": "jolfa_ir", "to": "julfa", "accuracy": "medium",
     "source": ("OpenStreetMap stations (ODbL); raillynews 2017-01 (Nakhchivan–Julfa–Tabriz–Tehran–Mashhad train "
                "service opened); EGTRE 'Border Crossings: Azerbaijan – Iran'"),
     "via": "Jolfa; Culfa",
     "note": ("The Soviet-era crossing between Iran's Jolfa (Tabriz line, 1914–16) and Julfa station in Nakhchivan. "
              "EGTRE notes a daily freight train but doubts (2021) that trains still run. " + OSM_NOTE)},
    {"corridor": "iran_rail", "segment": "jolfa_qazvin", "trace": "osm",
     "name": "Jolfa – Tabriz – Zanjan – Qazvin railway", "mode": "rail", "status": "operating",
     "from": "jolfa_ir", "to": "qazvin", "accuracy": "medium",
     "source": ("OpenStreetMap stations (ODbL); iranrail.net 'History' (Tabriz–Jolfa 146 km, 1916; Tehran–Tabriz "
                "742 km)"),
     "via": ("Gargar; Zal; Harzand; Marand; Payam; Sufian; Sahlan; Tabriz; Bostanabad; Turkmanchay; Mianeh; "
             "Zanjan; Soltaniyeh; Khorramdarreh; Takestan"),
     "note": ("Iran's north-western main line; Tabriz–Razi (to Türkiye via Van) branches at Sufian and is not drawn. "
              "Drawn length ~555 km, while the published Tabriz–Jolfa 146 km and Tehran–Tabriz 742 km (less "
              "Tehran–Qazvin) put Jolfa–Qazvin near 730 km: the chords between stations cut the mountain curves "
              "(Mianeh, Qaflankuh), so kilometres here are about a quarter short. " + OSM_NOTE)},
    {"corridor": "iran_rail", "segment": "gorgan_tehran", "trace": "osm",
     "name": "Gorgan – Sari – Firuzkuh – Tehran railway (Trans-Iranian, northern section)", "mode": "rail",
     "status": "operating", "from": "gorgan", "to": "tehran", "accuracy": "medium",
     "source": ("OpenStreetMap stations (ODbL); iranrail.net 'History' (Trans-Iranian Railway via Garmsar, Firuzkuh, "
                "Qaem Shahr, Behshahr; Bandar Torkaman–Gorgan 36 km); Wikipedia (de) 'Transiranische Eisenbahn' "
                "(Gorgan at km 496.8)"),
     "via": ("Bandar-e Torkaman; Bandar Gaz; Behshahr; Neka; Sari; Qaem Shahr; Shirgah; Zirab; Pol-e Sefid; Veresk; "
             "Gadok; Firuzkuh; Garmsar; Pishva; Varamin; Rey"),
     "note": ("Links the Kazakhstan–Turkmenistan–Iran line (Incheh Borun–Gorgan) with Tehran. The Veresk spirals "
              "are not traced (stations only); between Bandar-e Torkaman and Bandar Gaz the line is drawn through "
              "Bāghū Kenāreh (GeoNames 5523), where the chainage puts the 'Kord' station, so it keeps south of "
              "Gorgan Bay: drawn ~444 km against ~497 km by the line's chainage. " + OSM_NOTE)},
]
