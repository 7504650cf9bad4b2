namespace RingRift.P2P.Election;

/// <summary>
/// A candidate (or sitting leader renewing) asks a voter for a lease. POST /election/lease.
/// <paramref name="Release"/> true gives a held lease back early (step-down, failed campaign).
/// </summary>
public sealed record LeaseRequest(string CandidateId, long Epoch, bool Release = false)
{
    /// <summary>
    /// The pre-vote's question to a voter, "whose grant do you hold?": a release of epoch 0, which no
    /// campaign ever asks for (the first is epoch 1). Every voter, of this release and of older ones, answers
    /// it as a release by someone who is not the holder: nothing changes and nothing is saved, and the
    /// refusal names the grant in force (<see cref="LeaseResponse.HolderId"/>, null when none) and the
    /// voter's highest epoch. A new field would not do: a voter that does not know it would grant.
    /// </summary>
    public static LeaseRequest Inquiry(string candidateId) => new(candidateId, 0, Release: true);
}

/// <summary>
/// A voter's answer. <paramref name="HolderId"/>/<paramref name="HolderEpoch"/> describe the grant the
/// voter holds after deciding; <paramref name="HighestEpoch"/> is the highest epoch it has seen, so a
/// refused candidate can pick a higher one next time.
/// </summary>
public sealed record LeaseResponse(
    string VoterId,
    bool Granted,
    string? HolderId,
    long HolderEpoch,
    long HighestEpoch,
    double LeaseSeconds,
    string Reason);

/// <summary>Bully probe from a lower node to a higher one: "are you alive and leading?" POST /election.</summary>
public sealed record ElectionProbe(string CandidateId, long Epoch);

/// <summary>Answer to a probe: the higher node is alive; it says what it knows of the leader.</summary>
public sealed record ElectionProbeResponse(string NodeId, bool Alive, string? LeaderId, long Epoch, bool WillLead);

/// <summary>
/// A leader tells everyone it leads. POST /coordinator. Sent on acquiring and on every renewal;
/// <paramref name="LeaseRemainingSeconds"/> is how long the leader will act without another renewal.
/// </summary>
public sealed record LeaderAnnouncement(string LeaderId, long Epoch, double LeaseRemainingSeconds, string? LeaderAddress);

/// <summary>Reply to an announcement: accepted, or refused because the receiver knows a newer epoch.</summary>
public sealed record AnnouncementAck(string NodeId, bool Accepted, long KnownEpoch, string? KnownLeaderId);
