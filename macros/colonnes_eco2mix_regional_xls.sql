{{!--
  The 13 delivered columns of an RTE regional "xls" file, renamed to ASCII snake_case and kept
  as text. Used by bronze_eco2mix_regional_xls for each of the three regional folders.
--}}
"Périmètre" as perimetre,
    "Nature" as nature,
    "Date" as date,
    "Heures" as heures,
    "Consommation" as consommation,
    "Thermique" as thermique,
    "Nucléaire" as nucleaire,
    "Eolien" as eolien,
    "Solaire" as solaire,
    "Hydraulique" as hydraulique,
    "Pompage" as pompage,
    "Bioénergies" as bioenergies,
    "Ech. physiques" as ech_physiques,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
