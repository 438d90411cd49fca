-- docs/attribution.md section 6, on every row of marts.revenue_summary:
-- platform_revenue = last_touch_revenue + double_attribution_removed + view_only_excluded_revenue
SELECT *
FROM marts.revenue_summary
WHERE platform_revenue <> last_touch_revenue + double_attribution_removed + view_only_excluded_revenue
