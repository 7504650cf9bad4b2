using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Placement;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Notifications;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// The <c>jobs</c> block of <c>/status</c>: this node's runner (running jobs, slots, counters), the
/// leader's last dispatch round and dead-node requeue tick, every board config's training state,
/// webhook event counters and data sync totals. From memory only.
/// </summary>
public sealed record JobsStatus(
    JobRunnerSnapshot? Runner,
    DispatchRound? LastDispatch,
    RequeueTick? LastRequeue,
    TrainingStatusBlock? Training,
    ClusterEventCounters Events,
    SyncTotals Sync);

/// <summary>
/// Training state per board config; <paramref name="Source"/> is <c>leader</c> on the node that
/// computed it and <c>fetched_from_leader</c> on the others (refreshed every 5 s).
/// </summary>
public sealed record TrainingStatusBlock(string Source, double EvaluatedAt, IReadOnlyList<TrainingConfigRow> Configs);

public sealed record TrainingConfigRow(
    string Config,
    int GamesSinceLastTraining,
    double? HoursSinceLastTraining,
    double CurrentElo,
    double Priority,
    bool ShouldTrain,
    string Decision,
    string Reason,
    bool TrainingInFlight,
    int TrainingsCompleted,
    string? ChampionModelPath);

public sealed class JobsStatusBuilder(Membership.NodeSelf self, DispatchLoop dispatch, TrainingLoop training, ModelSyncLoop modelSync,
    ClusterEvents events, DataSync sync)
{
    public JobsStatus Build()
    {
        var (source, snapshot) = training.Latest is { } own ? ("leader", own) : ("fetched_from_leader", modelSync.Latest);
        return new JobsStatus(
            self.Runner?.Snapshot(),
            dispatch.LastRound,
            dispatch.LastRequeue,
            snapshot is null ? null : new TrainingStatusBlock(source, snapshot.EvaluatedAt, snapshot.Configs.Select(Row).ToArray()),
            events.Counters,
            sync.GetStatus().Totals);
    }

    private static TrainingConfigRow Row(ConfigTrainingState c) => new(
        c.Config, c.GamesSinceLastTraining, c.HoursSinceLastTraining is { } h ? Math.Round(h, 4) : null, c.CurrentElo,
        Math.Round(c.Priority, 2), c.ShouldTrain, c.Decision, c.Reason, c.TrainingInFlight, c.TrainingsCompleted, c.Champion?.ModelPath);
}
