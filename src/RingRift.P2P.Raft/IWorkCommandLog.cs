namespace RingRift.P2P.Raft;

/// <summary>
/// Where replicated commands go: the Raft log on the leader (group-committed), or a plain
/// in-process state machine in unit tests. Reads see every command whose submit has returned.
/// </summary>
public interface IWorkCommandLog
{
    /// <summary>The clock commands are stamped with (<see cref="WorkCommand.At"/>): the leader's.</summary>
    TimeProvider Time { get; }

    /// <summary>
    /// Replicates <paramref name="command"/> and returns its result once it is committed and applied
    /// on this node. Throws <see cref="NotRaftLeaderException"/> on a node that cannot accept writes;
    /// a call that throws for any other reason may still have committed, so callers retry with the
    /// same <see cref="WorkCommand.CommandId"/>.
    /// </summary>
    Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default);

    /// <summary>Runs <paramref name="read"/> against the applied state after a linearizable read barrier, under the applier's lock.</summary>
    Task<T> ReadAsync<T>(Func<WorkQueueStateMachine, T> read, CancellationToken ct = default);
}

/// <summary>Thrown when a write reaches a node that is not the Raft leader (or is a leader not yet able to commit).</summary>
public sealed class NotRaftLeaderException(string? leaderId, string? leaderAddress, string message) : InvalidOperationException(message)
{
    /// <summary>The node id of the current leader when known.</summary>
    public string? LeaderId { get; } = leaderId;

    /// <summary>The leader's Raft endpoint (host:port) when known.</summary>
    public string? LeaderAddress { get; } = leaderAddress;
}

/// <summary>Helpers over <see cref="IWorkCommandLog"/>.</summary>
public static class WorkCommandLogExtensions
{
    /// <summary>The leader's clock as Unix seconds (millisecond precision): what <see cref="WorkCommand.At"/> is stamped with.</summary>
    public static double UnixNow(this IWorkCommandLog log) => log.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}

/// <summary>
/// A linearizable read could not be served: this member could not confirm it has the latest
/// committed state (no quorum answered, the leader changed, or the leader is unreachable). Retry shortly.
/// </summary>
public sealed class RaftReadUnavailableException(string message, Exception inner) : InvalidOperationException(message, inner);
