namespace RingRift.P2P.Raft.Node;

/// <summary>The Raft leader a member follows as it is known to this node: its node id, Raft address and HTTP address.</summary>
internal sealed record LeaderInfo(string? Id, string? Address, string? Http)
{
    public static readonly LeaderInfo None = new(null, null, null);
}

/// <summary>
/// Which leader change a member's view follows. DotNext raises a leader change (often "none" and then the new
/// leader, moments apart) and the member handles each on its own task, the new leader's after a metadata round
/// trip; under load the "none" task can run after the new leader's has finished. Each change gets a generation,
/// and only the task of the latest change may set the leader or mark the member ready, checked and set under
/// one lock, so a stale task can never overwrite a newer view (a member that showed "no leader" for good while
/// the others followed the new one, in a namespace history test under load).
/// </summary>
internal sealed class LeaderFollowing
{
    private readonly Lock _gate = new();
    private long _generation;
    private volatile LeaderInfo _leader = LeaderInfo.None;
    private volatile bool _ready;

    public LeaderInfo Leader => _leader;

    /// <summary>The leader is known and this member has caught up with it since the latest change.</summary>
    public bool IsReady => _ready && _leader.Id is not null;

    /// <summary>A leader change: returns its generation; the member is not ready until that change's task says so.</summary>
    public long Change()
    {
        lock (_gate)
        {
            _ready = false;
            return ++_generation;
        }
    }

    /// <summary>Whether <paramref name="generation"/> is still the latest change.</summary>
    public bool IsCurrent(long generation)
    {
        lock (_gate) return _generation == generation;
    }

    /// <summary>Sets the leader, if <paramref name="generation"/> is still the latest change.</summary>
    public bool TryFollow(long generation, LeaderInfo leader)
    {
        ArgumentNullException.ThrowIfNull(leader);
        lock (_gate)
        {
            if (_generation != generation) return false;
            _leader = leader;
            return true;
        }
    }

    /// <summary>Marks the member caught up, if <paramref name="generation"/> is still the latest change.</summary>
    public bool TryMarkReady(long generation)
    {
        lock (_gate)
        {
            if (_generation != generation) return false;
            _ready = true;
            return true;
        }
    }
}
