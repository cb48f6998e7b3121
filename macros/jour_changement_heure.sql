{{!-- params: date_locale --}}
{{!--
  True when the local day `date_locale` (a DATE expression) is a DST change day, i.e. does not
  last 24 hours in the project's time zone (23 h in spring, 25 h in autumn).
--}}
({{datediff "minute" (to_utc (cast date_locale "timestamp") (var "timezone")) (to_utc (cast (dateadd "day" "1" date_locale) "timestamp") (var "timezone"))}} <> 1440)
