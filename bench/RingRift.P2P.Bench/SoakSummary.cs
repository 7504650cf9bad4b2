using RingRift.P2P.Testing.History;
using RingRift.P2P.Testing.Soak;

namespace RingRift.P2P.Bench;

/// <summary>
/// The last line of a soak mode: the history checker's verdict, resident memory and open files drift per node
/// from <see cref="SoakOptions.DriftFromMinute"/> on (among processes of the same age, and over all readings),
/// recovery after the kills, and each goal met or not.
/// </summary>
public static class SoakSummary
{
    /// <summary>The no-leak goal: readings stay within ±10 % of the first one compared.</summary>
    public const double DriftLimitPercent = 10;

    /// <summary>The recovery goal: 90 % of the pre-kill rate within 5 s of each kill.</summary>
    public const double RecoveryGoalSeconds = 5;

    /// <summary>
    /// A reading counts for drift once its process has run this long: a node started again a moment ago
    /// (every kill and restart makes one) has not grown its heap yet, and would read as a drop.
    /// </summary>
    public const double SettledSeconds = 60;

    /// <summary>Readings are compared among processes of the same age in whole minutes and the same role, leader or follower (<see cref="ResourceDrift.SameAgePercent"/>).</summary>
    public static readonly TimeSpan AgeBucket = TimeSpan.FromMinutes(1);

    public static object Line(SoakMode mode, SoakOptions options, double seconds, HistoryReport report, int untokenedClaims,
        SoakThroughput ops, IReadOnlyList<MinuteReadings> minutes, IReadOnlyList<KillRecovery> kills, int restarts, double readSeconds, double checkSeconds)
    {
        var drift = Enumerable.Range(0, SoakCluster.Size).Select(i =>
        {
            var settled = minutes.Where(m => m.Minute >= options.DriftFromMinute && m.Nodes[i] is { UptimeSeconds: >= SettledSeconds })
                .Select(m => (Reading: m.Nodes[i]!, Role: m.Leader == i ? "leader" : "follower")).ToList();
            return (Node: SoakCluster.IdOf(i), Readings: settled.Count,
                Rss: ResourceDrift.SameAgePercent(settled.Select(s => (s.Reading.UptimeSeconds, s.Role, s.Reading.RssMb)).ToList(), AgeBucket),
                Fds: ResourceDrift.SameAgePercent(settled.Select(s => (s.Reading.UptimeSeconds, s.Role, (double)s.Reading.Fds)).ToList(), AgeBucket),
                RssAnyAge: ResourceDrift.Percent(settled.Select(s => s.Reading.RssMb).ToList()),
                FdsAnyAge: ResourceDrift.Percent(settled.Select(s => (double)s.Reading.Fds).ToList()));
        }).ToList();
        var threads = minutes.SelectMany(m => m.Nodes).OfType<NodeReading>().Select(r => r.Threads).DefaultIfEmpty().ToList();

        var recovered = kills.Select(k => k.RecoveredSeconds).OfType<double>().Order().ToList();
        var firsts = kills.Select(k => k.FirstSuccessSeconds).OfType<double>().Order().ToList();
        var unrecovered = kills.Count - recovered.Count;
        bool? recoveryMet = kills.Count == 0 ? null : unrecovered == 0 && recovered[^1] <= RecoveryGoalSeconds;
        var leakMet = ResourceDrift.Within(drift.SelectMany(d => new[] { d.Rss, d.Fds }), DriftLimitPercent);
        var goals = new[] { (bool?)report.IsValid, leakMet, recoveryMet };

        return new
        {
            bench = "soak",
            mode = mode.ToString().ToLowerInvariant(),
            minutes = Math.Round(seconds / 60, 2),
            clients = options.Clients,
            pause_ms = options.PauseMs,
            retention_s = options.RetentionSeconds,
            retain_max = options.RetainMax,
            max_held = options.MaxHeld,
            kills = kills.Count,
            restarts,
            adds_per_s = Math.Round(ops.Adds.Length / seconds, 1),
            claims_per_s = Math.Round(ops.Claims.Length / seconds, 1),
            completions_per_s = Math.Round(ops.Completions.Length / seconds, 1),
            history = new
            {
                verdict = report.IsValid ? "valid" : "violations",
                violations = report.Violations.Count,
                first_violations = report.Violations.Take(5).Select(v => v.ToString()).ToList(),
                operations = report.Operations,
                ok = report.OkOperations,
                refused = report.FailedOperations,
                unknown = report.UnknownOperations,
                final_items = report.FinalItems,
                untokened_claims = untokenedClaims,
                final_read_s = Math.Round(readSeconds, 1),
                check_s = Math.Round(checkSeconds, 1),
            },
            drift_from_minute = options.DriftFromMinute,
            rss_drift_pct = SoakOutput.Round(Farthest(drift.Select(d => d.Rss))),
            fds_drift_pct = SoakOutput.Round(Farthest(drift.Select(d => d.Fds))),
            rss_drift_any_age_pct = SoakOutput.Round(Farthest(drift.Select(d => d.RssAnyAge))),
            fds_drift_any_age_pct = SoakOutput.Round(Farthest(drift.Select(d => d.FdsAnyAge))),
            drift_per_node = drift.Select(d => new
            {
                node = d.Node,
                readings = d.Readings,
                rss_pct = SoakOutput.Round(d.Rss),
                fds_pct = SoakOutput.Round(d.Fds),
                rss_any_age_pct = SoakOutput.Round(d.RssAnyAge),
                fds_any_age_pct = SoakOutput.Round(d.FdsAnyAge),
            }).ToList(),
            threads_min = threads.Min(),
            threads_max = threads.Max(),
            recovery_p50_ms = Ms(recovered.Count > 0 ? BenchArgs.Quantile(recovered, 0.5) : null),
            recovery_max_ms = Ms(unrecovered == 0 && recovered.Count > 0 ? recovered[^1] : null),
            unrecovered_kills = unrecovered,
            first_success_p50_ms = Ms(firsts.Count > 0 ? BenchArgs.Quantile(firsts, 0.5) : null),
            first_success_max_ms = Ms(firsts.Count > 0 ? firsts[^1] : null),
            goal_no_violations = SoakOutput.Verdict(report.IsValid),
            goal_no_leak = SoakOutput.Verdict(leakMet),
            goal_recovery_5s = SoakOutput.Verdict(recoveryMet),
            goals_met = SoakOutput.Verdict(goals.All(g => g == true) ? true : goals.Any(g => g == false) ? false : null),
        };
    }

    /// <summary>The drift farthest from 0, signed; null when none.</summary>
    private static double? Farthest(IEnumerable<double?> drifts) => drifts.OfType<double>().Select(d => (double?)d).MaxBy(d => Math.Abs(d!.Value));

    private static double? Ms(double? seconds) => SoakOutput.Round(seconds * 1000, 0);
}
