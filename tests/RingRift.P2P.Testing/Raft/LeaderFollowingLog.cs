using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Testing.Raft;

/// <summary>
/// A client's view of a <see cref="RaftTestCluster"/>: every call goes to whichever member leads now,
/// and a call that met a leader change (not the leader, or an unknown outcome, or a read the member
/// could not confirm) is sent again, with the same command id, to whoever leads next — as a node
/// relaying to the leader does. The contract tests use it so a busy host that costs the leader its
/// lease for a moment does not fail them. Any other outcome, an exception included, is the call's answer.
/// </summary>
/// <remarks>
/// A retry policy bounded by time, not by a count of attempts: on a busy host the old leader can keep
/// refusing for longer than a few quick attempts last (it still calls itself leader until its lease
/// runs out), so a call is retried, with <see cref="Eventually"/>'s growing pauses, until a leader
/// answers or <see cref="LeaderChangeBudget"/> has passed.
/// </remarks>
public sealed class LeaderFollowingLog(RaftTestCluster cluster) : IWorkCommandLog
{
    /// <summary>How long one call may keep meeting leader changes before the test fails: 60 s.</summary>
    public static readonly TimeSpan LeaderChangeBudget = TimeSpan.FromSeconds(60);

    public TimeProvider Time => cluster.Time;

    public Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default) =>
        WithLeaderAsync(leader => leader.SubmitAsync(command, ct));

    public Task<T> ReadAsync<T>(Func<WorkQueueStateMachine, T> read, CancellationToken ct = default) =>
        WithLeaderAsync(leader => leader.ReadAsync(read, ct));

    private async Task<T> WithLeaderAsync<T>(Func<RaftNode, Task<T>> call)
    {
        LeaderCall<T> answered = await Eventually.Until(() => LeaderCall<T>.TryAsync(cluster.CurrentLeader(), call), c => c.Answered,
            "a call answered by the member leading (not refused by a leader change)", LeaderChangeBudget).ConfigureAwait(false);
        return answered.Result();
    }
}
