namespace RingRift.P2P.Bench;

/// <summary>Which consensus serves the soak's work queue.</summary>
public enum SoakMode
{
    /// <summary>Raft's replicated queue (<c>RINGRIFT_RAFT_ENABLED=true</c>, <c>RINGRIFT_CONSENSUS_MODE=raft</c>).</summary>
    Raft,

    /// <summary>Bully election with voter leases and the quorum-replicated SQLite queue (the default mode).</summary>
    Bully,
}
