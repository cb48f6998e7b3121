{{!-- params: chemin --}}
{{!--
  The file name at the end of a path (`…/eco2mix_regional_tr/eco2mix-regional-tr.csv` →
  `eco2mix-regional-tr.csv`): the stable identity of a lake file, whatever the lake root
  (`lake/` on dev, ../shared/data or a copy on real, gs://… on BigQuery).
  regexp_extract(string, pattern) returns the whole match on DuckDB and on BigQuery alike.
--}}
regexp_extract({{chemin}}, '[^/]*$')
