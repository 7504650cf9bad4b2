using System.Runtime.ExceptionServices;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Testing.Raft;

/// <summary>
/// One attempt of a <see cref="LeaderFollowingLog"/> call: answered (a result or an exception that is the
/// call's own), or met a leader change (no leader, not the leader, unknown outcome, read unavailable).
/// </summary>
internal sealed class LeaderCall<T>
{
    private readonly T? _value;
    private readonly ExceptionDispatchInfo? _error;
    private readonly string _description;

    private LeaderCall(bool answered, T? value, ExceptionDispatchInfo? error, string description)
    {
        Answered = answered;
        _value = value;
        _error = error;
        _description = description;
    }

    /// <summary>True when the call got its answer; false when it met a leader change and is to be sent again.</summary>
    public bool Answered { get; }

    /// <summary>Makes the call on <paramref name="leader"/>; never throws (an exception is kept as the answer or as a leader change).</summary>
    public static async Task<LeaderCall<T>> TryAsync(RaftNode? leader, Func<RaftNode, Task<T>> call)
    {
        if (leader is null)
        {
            return new LeaderCall<T>(false, default, null, "no running member leads");
        }

        try
        {
            return new LeaderCall<T>(true, await call(leader).ConfigureAwait(false), null, $"{leader.NodeId} answered");
        }
        catch (Exception e) when (e is NotRaftLeaderException or RaftCommitUnknownException or RaftReadUnavailableException)
        {
            return new LeaderCall<T>(false, default, null, $"{leader.NodeId}: {e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            return new LeaderCall<T>(true, default, ExceptionDispatchInfo.Capture(e), $"{leader.NodeId} threw {e.GetType().Name}");
        }
    }

    /// <summary>The answer: the value, or the call's own exception thrown again with its original stack.</summary>
    public T Result()
    {
        _error?.Throw();
        return _value!;
    }

    public override string ToString() => _description;
}
