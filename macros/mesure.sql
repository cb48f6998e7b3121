{{!-- params: colonne --}}
{{!--
  A delivered text value as a DOUBLE: blank, `ND` (non disponible) and `-` (not applicable, or
  missing in RTE's real-time files) become NULL; anything else must be a number, or the build
  fails (a changed format must stop the pipeline, not turn into silent NULLs).
  Usage: {{mesure "consommation"}}
--}}
{{cast (cat "nullif(nullif(nullif(trim(" colonne "), ''), 'ND'), '-')") "float"}}
