{{!--
  The 13 delivered columns of an RTE regional "xls" file, renamed to ASCII snake_case and kept
  as text. Used by bronze_eco2mix_regional_xls for each of the three regional folders.
--}}
{{quote "Périmètre"}} as perimetre,
    {{quote "Nature"}} as nature,
    {{quote "Date"}} as date,
    {{quote "Heures"}} as heures,
    {{quote "Consommation"}} as consommation,
    {{quote "Thermique"}} as thermique,
    {{quote "Nucléaire"}} as nucleaire,
    {{quote "Eolien"}} as eolien,
    {{quote "Solaire"}} as solaire,
    {{quote "Hydraulique"}} as hydraulique,
    {{quote "Pompage"}} as pompage,
    {{quote "Bioénergies"}} as bioenergies,
    {{quote "Ech. physiques"}} as ech_physiques,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
