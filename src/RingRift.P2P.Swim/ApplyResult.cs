namespace RingRift.P2P.Swim;

/// <summary>What <see cref="MemberTable"/> did with one membership update. Each outcome also carries a one-line reason.</summary>
public enum ApplyResult
{
    /// <summary>The table changed (new member, new state or higher incarnation); gossip the update on.</summary>
    Applied = 0,

    /// <summary>The update's incarnation is older than (or, for Alive, equal to) what the table holds; dropped.</summary>
    Stale = 1,

    /// <summary>The update is about a node the table does not know and carries no address to add it with.</summary>
    Unknown = 2,

    /// <summary>The update accused this node; its incarnation was raised above the accusation — broadcast <see cref="MemberTable.SelfAlive"/>.</summary>
    Refuted = 3,

    /// <summary>Nothing to do: already in that state, already final, or about this node and harmless.</summary>
    Ignored = 4,

    /// <summary>The member is already suspect; the sender may count as an independent confirmation (Lifeguard, local-health-aware suspicion).</summary>
    AlreadySuspect = 5,

    /// <summary>An Alive with a different address for a member still alive or suspect; another process may claim its id.</summary>
    Conflict = 6,
}

/// <summary>Result of one <c>Apply…</c> call with its one-line reason.</summary>
public readonly record struct ApplyOutcome(ApplyResult Result, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Result}: {Reason}";
}
