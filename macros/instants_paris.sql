{{!-- params: relation, colonne --}}
{{!--
  The project's DST rule, as a SELECT over the distinct local wall-clock timestamps of
  `colonne` in `relation` (a ref, a source or a CTE name). Returns one row per local timestamp:
    ts_locale          the local wall-clock timestamp (no time zone)
    ts_utc             the UTC instant it stands for, NULL when it does not exist
    heure_inexistante  the local time does not exist (spring-forward hour, 02:00-02:59)
    heure_ambigue      the local time occurs twice (autumn repeated hour, 02:00-02:59)
  Rule (checked on the real data, see docs/energy-project.md): RTE and ODRE print 96 rows (48
  half-hours) on both DST days. Spring: the non-existent hour holds copies of neighbouring
  values, so it gets no instant. Autumn: the hour printed once shows its first (summer-time,
  UTC+2) occurrence in its first half-hour and its second (winter-time, UTC+1) occurrence in its
  second half-hour; the two missing half-hours stay missing.
  Only to_utc/from_utc are used, and both occurrences are derived from whatever instant the
  engine picks, so the result does not depend on how an engine resolves DST edge cases.
  Working on distinct timestamps keeps the time-zone arithmetic to a few thousand rows.
--}}
select
    ts_locale,
    case
        when heure_inexistante then null
        when heure_ambigue and {{extract "minute" "ts_locale"}} >= 30 then {{dateadd "hour" "1" "premier_utc"}}
        else premier_utc
    end as ts_utc,
    heure_inexistante,
    heure_ambigue
from (
    select
        ts_locale,
        {{from_utc "ts_candidat" (var "timezone")}} <> ts_locale as heure_inexistante,
        (
            {{from_utc (dateadd "hour" "-1" "ts_candidat") (var "timezone")}} = ts_locale
            or {{from_utc (dateadd "hour" "1" "ts_candidat") (var "timezone")}} = ts_locale
        ) as heure_ambigue,
        case
            when {{from_utc (dateadd "hour" "-1" "ts_candidat") (var "timezone")}} = ts_locale
                then {{dateadd "hour" "-1" "ts_candidat"}}
            else ts_candidat
        end as premier_utc
    from (
        select ts_locale, {{to_utc "ts_locale" (var "timezone")}} as ts_candidat
        from (select distinct {{colonne}} as ts_locale from {{relation}} where {{colonne}} is not null) as distincts
    ) as candidats
) as places
