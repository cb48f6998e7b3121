{{!-- params: colonne --}}
{{!--
  Incremental loads by file: on an incremental run, keep only the rows of lake files whose name
  is not in the table yet (a lake file is immutable: a new download is a new file). Files are
  identified by name (macro nom_fichier), not by path, so moving the lake root does not reload
  everything. Renders nothing on a first or --full-refresh run.
  Usage, after a WHERE clause: {{fichiers_non_charges "_source_file"}}
--}}
{{#if (is_incremental)}}and {{nom_fichier colonne}} not in (select distinct _fichier from {{this}}){{/if}}
