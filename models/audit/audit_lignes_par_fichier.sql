{{config materialized="table" tags="audit"}}
-- Row accounting, one row per lake file: the data rows bronze read, the lines that were not data
-- rows (RTE disclaimers), the rows silver dropped by rule, and the rows silver kept - against
-- the count expected for the file (seed fichiers_lac_attendus: PROVENANCE counts on `real`,
-- generator counts on `dev`). Tests on this table require, for every file:
--   lignes_bronze = lignes_attendues                       (nothing lost or invented on load)
--   lignes_bronze = sum of silver rows by status           (every drop has a rule)
-- Silver statuses counted (see each silver model): future_vide, vide_demi_horaire,
-- heure_inexistante, doublon_remplace (a later or more definitive file gives the same instant),
-- doublon_local (duplicated half-hour of the national consumption file), retenue.
-- The reference feeds (temperatures, gas, population, calendars) have no dropping rule:
-- every bronze row is kept.
with bronze as (
    select 'rte.eco2mix_national_tr' as source_table, _fichier, count(*) as lignes_bronze from {{ref "bronze_eco2mix_national_tr"}} group by _fichier
    union all select 'odre.eco2mix_national_tr', _fichier, count(*) from {{ref "bronze_eco2mix_national_tr_odre"}} group by _fichier
    union all select {{concat "'rte.eco2mix_regional_'" "dossier_source"}}, _fichier, count(*) from {{ref "bronze_eco2mix_regional_xls"}} group by dossier_source, _fichier
    union all select 'odre.eco2mix_regional_tr', _fichier, count(*) from {{ref "bronze_eco2mix_regional_tr_odre"}} group by _fichier
    union all select 'odre.consommation_quotidienne_brute', _fichier, count(*) from {{ref "bronze_consommation_quotidienne_brute"}} group by _fichier
    union all select 'odre.temperature_regionale', _fichier, count(*) from {{ref "bronze_temperature_regionale"}} group by _fichier
    union all select 'odre.stock_gaz', _fichier, count(*) from {{ref "bronze_stock_gaz"}} group by _fichier
    union all select 'odre.consommation_annuelle_regionale', _fichier, count(*) from {{ref "bronze_consommation_annuelle_regionale"}} group by _fichier
    union all select 'insee.population_regions', _fichier, count(*) from {{ref "bronze_population_regions"}} group by _fichier
    union all select 'insee.population_departements', _fichier, count(*) from {{ref "bronze_population_departements"}} group by _fichier
    union all select {{concat "'education.calendrier_scolaire_'" "export"}}, _fichier, count(*) from {{ref "bronze_calendrier_scolaire"}} group by export, _fichier
    union all select 'education.vacances_scolaires_zones', _fichier, count(*) from {{ref "bronze_vacances_scolaires_zones"}} group by _fichier
),

rejetees as (
    select _fichier, count(*) as lignes_rejetees
    from {{ref "bronze_eco2mix_rejected_lines"}}
    group by _fichier
),

statuts as (
    -- rows per file and silver status
    select _fichier, statut_ligne, count(*) as n from {{ref "silver_eco2mix_national_tr_rows"}} group by _fichier, statut_ligne
    union all
    select _fichier, statut_ligne, count(*) from {{ref "silver_eco2mix_regional_lignes"}} where statut_ligne <> 'valide' group by _fichier, statut_ligne
    union all
    select _fichier, statut_ligne, count(*) from {{ref "silver_consommation_nationale_lignes"}} group by _fichier, statut_ligne
),

regional_valides as (
    select _fichier, count(*) as valides from {{ref "silver_eco2mix_regional_lignes"}} where statut_ligne = 'valide' group by _fichier
),

regional_retenues as (
    select _fichier, count(*) as retenues from {{ref "silver_eco2mix_regional_15min"}} group by _fichier
),

par_fichier as (
    select
        b.source_table,
        b._fichier,
        b.lignes_bronze,
        coalesce(r.lignes_rejetees, 0) as lignes_rejetees,
        coalesce(sum(case when s.statut_ligne = 'future_vide' then s.n end), 0) as future_vide,
        coalesce(sum(case when s.statut_ligne = 'vide_demi_horaire' then s.n end), 0) as vide_demi_horaire,
        coalesce(sum(case when s.statut_ligne = 'heure_inexistante' then s.n end), 0) as heure_inexistante,
        coalesce(sum(case when s.statut_ligne = 'doublon_remplace' then s.n end), 0)
            + coalesce(max(v.valides), 0) - coalesce(max(k.retenues), 0) as doublon_remplace,
        coalesce(sum(case when s.statut_ligne = 'doublon_local' then s.n end), 0) as doublon_local,
        case
            when max(v.valides) is not null or max(k.retenues) is not null then coalesce(max(k.retenues), 0)
            when count(s.statut_ligne) > 0 then coalesce(sum(case when s.statut_ligne = 'retenue' then s.n end), 0)
            else b.lignes_bronze
        end as retenues
    from bronze as b
    left join rejetees as r on b._fichier = r._fichier
    left join statuts as s on b._fichier = s._fichier
    left join regional_valides as v on b._fichier = v._fichier
    left join regional_retenues as k on b._fichier = k._fichier
    group by b.source_table, b._fichier, b.lignes_bronze, r.lignes_rejetees
),

attendus as (
    select dossier, fichier, lignes_donnees
    from {{ref "fichiers_lac_attendus"}}
    where cible = '{{target.name}}'
)

select
    coalesce(p.source_table, 'absent_du_lac') as source_table,
    coalesce(a.dossier, 'inconnu') as dossier,
    coalesce(a.fichier, p._fichier) as fichier,
    a.lignes_donnees as lignes_attendues,
    coalesce(p.lignes_bronze, 0) as lignes_bronze,
    p.lignes_rejetees,
    p.future_vide,
    p.vide_demi_horaire,
    p.heure_inexistante,
    p.doublon_remplace,
    p.doublon_local,
    p.retenues,
    p.lignes_bronze - p.retenues - p.future_vide - p.vide_demi_horaire - p.heure_inexistante
        - p.doublon_remplace - p.doublon_local as lignes_non_expliquees
from par_fichier as p
full outer join attendus as a
    on p._fichier = a.fichier
