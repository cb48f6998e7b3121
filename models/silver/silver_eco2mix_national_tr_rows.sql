{{config materialized="table" tags="rte,eco2mix"}}
-- Every quarter-hour row of the two national real-time feeds (RTE "xls" downloads and the ODRE
-- CSV export), typed, placed on the UTC time line and given a status saying whether
-- silver_eco2mix_national_15min keeps it and, if not, why. This is the audit trail:
-- count(*) here = count(*) in the two bronze models, and silver_eco2mix_national_15min = the rows
-- with statut_ligne = 'retenue'.
--
-- Values: blank, `ND` and `-` become NULL (macro `mesure`); anything else must be a number, or
-- the build fails.
-- Time: Date + Heures are French wall-clock time without offset; the DST rule is the macro
-- `instants_paris` (non-existent spring times get no instant and status 'heure_inexistante';
-- the autumn hour printed once is split between its two occurrences by half-hour).
-- Future rows: a row without any realised measure (only forecasts or scheduled exchanges) is
-- after the download time: status 'future_vide'.
-- Overlapping downloads: among the rows left for one instant, the most definitive `Nature`
-- wins, then the file loaded last, then the file whose name sorts last (RTE names carry the
-- download period); the others get status 'doublon_remplace'.
with livrees as (
    select 'rte_xls' as source_donnees, perimetre, nature, date, heures, null as date_heure,
        {{liste_mesures_nationales "brutes"}},
        _source_file, _fichier, _loaded_at
    from {{ref "bronze_eco2mix_national_tr"}}
    union all
    select 'odre_csv' as source_donnees, perimetre, nature, date, heures, date_heure,
        {{liste_mesures_nationales "brutes"}},
        _source_file, _fichier, _loaded_at
    from {{ref "bronze_eco2mix_national_tr_odre"}}
),

typed as (
    select
        source_donnees,
        perimetre,
        nature,
        {{cast "date" "date"}} as date_locale,
        heures as heure_locale,
        {{parse_timestamp "date || ' ' || heures" "%Y-%m-%d %H:%M"}} as ts_locale,
        {{cast "date_heure" "timestamp_tz"}} as ts_utc_odre,
{{#each (mesures_nationales)}}
        {{mesure brute}} as {{colonne}},
{{/each}}
        _source_file,
        _fichier,
        _loaded_at
    from livrees
),

instants as (
    {{instants_paris "typed" "ts_locale"}}
),

placed as (
    select
        typed.*,
        instants.ts_utc,
        instants.heure_inexistante,
        instants.heure_ambigue,
        case nature
            when 'Données définitives' then 3
            when 'Données consolidées' then 2
            else 1
        end as niveau_precedence,
        coalesce(
            {{liste_mesures_nationales "realisees"}}
        ) is null as ligne_future
    from typed
    inner join instants on typed.ts_locale = instants.ts_locale
),

ranked as (
    select
        *,
        row_number() over (
            partition by ts_utc, (ligne_future or heure_inexistante)
            order by niveau_precedence desc, _loaded_at desc, _source_file desc
        ) as rang_fichier
    from placed
)

select
    ts_utc,
    ts_locale,
    date_locale,
    heure_locale,
    heure_inexistante,
    heure_ambigue,
    ligne_future,
    case
        when ligne_future then 'future_vide'
        when heure_inexistante then 'heure_inexistante'
        when rang_fichier > 1 then 'doublon_remplace'
        else 'retenue'
    end as statut_ligne,
    source_donnees,
    perimetre,
    nature,
    niveau_precedence,
    ts_utc_odre,
{{#each (mesures_nationales)}}
    {{colonne}},
{{/each}}
    _source_file,
    _fichier,
    _loaded_at
from ranked
