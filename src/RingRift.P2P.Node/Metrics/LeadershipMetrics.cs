using System.Diagnostics.Metrics;
using RingRift.P2P.Election;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// Meter <c>RingRift.P2P.Leadership</c>: whether this node leads (as <c>/status</c> says), leader changes as
/// this node saw them, the Bully epoch and Raft term, and whether Raft has fallen back to Bully + SQLite;
/// and, while Raft runs, its log positions and group-commit counters (read from the Raft node's status).
/// </summary>
public sealed class LeadershipMetrics
{
    public const string MeterName = "RingRift.P2P.Leadership";

    private long _bullyChanges;

    public LeadershipMetrics(IMeterFactory meters, ConsensusSwitch coordinator, BullyElection election, RaftService raft)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ringrift_p2p_is_leader", () => coordinator.IsLeader ? 1 : 0,
            description: "1 on the node that leads (the one /status names as leader), else 0");
        election.LeaderChanged += snapshot =>
        {
            if (snapshot.LeaderId is not null) Interlocked.Increment(ref _bullyChanges);
        };
        meter.CreateObservableCounter("ringrift_p2p_leader_changes", () => LeaderChanges(raft),
            description: "Times this node saw a new leader (or a new epoch or term of one), by the protocol that chose it");
        meter.CreateObservableGauge("ringrift_p2p_bully_epoch", () => election.Snapshot.KnownEpoch,
            description: "Highest Bully epoch this node knows");
        meter.CreateObservableGauge("ringrift_p2p_consensus_fallback",
            () => coordinator.Mode == Config.ConsensusMode.Raft && coordinator.Path == ConsensusPath.Bully ? 1 : 0,
            description: "1 while Raft is configured but the node runs on Bully + SQLite (fallback), else 0");

        meter.CreateObservableGauge("ringrift_p2p_raft_term", () => Raft(raft, s => s.Term), description: "Raft term this member knows");
        meter.CreateObservableGauge("ringrift_p2p_raft_commit_index", () => Raft(raft, s => s.CommitIndex), description: "Raft log index committed");
        meter.CreateObservableGauge("ringrift_p2p_raft_applied_index", () => Raft(raft, s => s.LastApplied), description: "Raft log index applied to the queue");
        meter.CreateObservableCounter("ringrift_p2p_raft_group_commit_entries", () => Raft(raft, s => s.Batches),
            description: "Log entries written by group commit while this member led");
        meter.CreateObservableCounter("ringrift_p2p_raft_group_commit_commands", () => Raft(raft, s => s.Commands),
            description: "Work commands written in those entries");
        meter.CreateObservableCounter("ringrift_p2p_raft_follower_flushes", () => Raft(raft, s => s.FollowerFlushes),
            description: "Replicated appends this member flushed to disk before acknowledging them");
        meter.CreateObservableCounter("ringrift_p2p_raft_follower_flush_time", () => Raft(raft, s => s.FollowerFlushSeconds), unit: "s",
            description: "Time those flushes took in all; divide its rate by the flushes' rate for the mean");
    }

    private IEnumerable<Measurement<long>> LeaderChanges(RaftService raft)
    {
        yield return new Measurement<long>(Interlocked.Read(ref _bullyChanges), new KeyValuePair<string, object?>("consensus", "bully"));
        if (raft.Node is { } node)
            yield return new Measurement<long>(node.Status().LeaderChanges, new KeyValuePair<string, object?>("consensus", "raft"));
    }

    private static IEnumerable<Measurement<T>> Raft<T>(RaftService raft, Func<RaftStatusInfo, T> read) where T : struct =>
        raft.Node is { } node ? [new Measurement<T>(read(node.Status()))] : [];
}
