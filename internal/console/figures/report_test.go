package figures

import (
	"testing"

	"github.com/omshq/oms"
)

// TestReportChartSumsExactly: a period's money is summed in minor units
// and only the sum is drawn as a number: 0.10 + 0.20 draws 0.3, not the
// 0.30000000000000004 floating point sums make; ratios are percentages.
func TestReportChartSumsExactly(t *testing.T) {
	rep := &oms.Report{Period: oms.PeriodDay, Currency: "USD", Columns: []oms.ReportColumn{
		{Name: "period", Type: oms.ColText}, {Name: "channel", Type: oms.ColText},
		{Name: "net_sales", Type: oms.ColMoney}, {Name: "on_time_rate", Type: oms.ColRatio}}}
	rep.Row("2026-12-01", "web", int64(10), "0.5")
	rep.Row("2026-12-01", "web", int64(20), "")
	rep.Row("2026-12-02", "web", int64(1), "0.25")
	d := Report{Chart: []string{"net_sales", "on_time_rate"}}
	ch := ChartOf(d, rep, "")
	if ch == nil || len(ch.Series) != 2 {
		t.Fatalf("chart = %+v", ch)
	}
	if got := ch.Series[0].Values; *got[0] != 0.3 || *got[1] != 0.01 {
		t.Errorf("net sales = %v, %v; want 0.3, 0.01", *got[0], *got[1])
	}
	if got := ch.Series[1].Values; *got[0] != 50 || *got[1] != 25 {
		t.Errorf("on-time rate = %v, %v; want 50, 25", *got[0], *got[1])
	}
	by := ChartOf(d, rep, "channel")
	if by == nil || len(by.Series) != 1 || *by.Series[0].Values[0] != 0.3 {
		t.Errorf("by channel = %+v", by)
	}
}
