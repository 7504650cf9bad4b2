using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Testing.Raft;

/// <summary>
/// A client's view of a <see cref="RaftTestCluster"/>: every call goes to whichever member leads now,
/// and a call that met a leader change (not the leader, or an unknown outcome) is sent again, with
/// the same command id, to the next leader — as a node relaying to the leader does. The contract
/// tests use it so a busy host that costs the leader its lease for a moment does not fail them.
/// </summary>
public sealed class LeaderFollowingLog(RaftTestCluster cluster) : IWorkCommandLog
{
    private static readonly TimeSpan LeaderWait = TimeSpan.FromSeconds(30);
    private const int Attempts = 10;

    public TimeProvider Time => cluster.Time;

    public Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default) =>
        WithLeaderAsync(leader => leader.SubmitAsync(command, ct));

    public Task<T> ReadAsync<T>(Func<WorkQueueStateMachine, T> read, CancellationToken ct = default) =>
        WithLeaderAsync(leader => leader.ReadAsync(read, ct));

    private async Task<T> WithLeaderAsync<T>(Func<RaftNode, Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            var leader = cluster.CurrentLeader() ?? await cluster.WaitForLeaderAsync(LeaderWait);
            try
            {
                return await call(leader);
            }
            catch (Exception e) when (attempt < Attempts && e is NotRaftLeaderException or RaftCommitUnknownException or RaftReadUnavailableException)
            {
                await Task.Delay(50);
            }
        }
    }
}
