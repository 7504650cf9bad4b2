using RingRift.P2P.Coordination;

namespace RingRift.P2P.Election;

/// <summary>
/// The check every node-to-node request that can move epochs passes first: the lease request and
/// announcement of the election, and the push and sync of queue replication. Only a voter can lead, and
/// a leader's epoch is 0 to <see cref="ReplicaFence.MaxEpoch"/>, so a request naming an id that is not a
/// known voter, or an epoch outside that range, is refused before it can raise any fence or known epoch
/// (issue 16 §3: one forged request must not leave a node unable to lead or serve).
/// </summary>
public static class VoterAdmission
{
    /// <summary>
    /// True when <paramref name="id"/> is one of <paramref name="voters"/>; false when it is well formed but
    /// unknown (the caller logs and throws <see cref="Refusal"/>).
    /// </summary>
    /// <param name="idField">The request's JSON field naming the sender, for the error message.</param>
    /// <exception cref="ArgumentException">The id is blank, or the epoch is out of range (HTTP 400).</exception>
    public static bool IsKnownVoter(VoterSet voters, string idField, string? id, long epoch)
    {
        ArgumentNullException.ThrowIfNull(voters);
        if (string.IsNullOrWhiteSpace(id))
            throw new ArgumentException($"{idField} is required");
        if (epoch is < 0 or > ReplicaFence.MaxEpoch)
            throw new ArgumentException($"epoch {epoch} is out of range: a leader's epoch is 0 to {ReplicaFence.MaxEpoch}");
        return voters.Contains(id);
    }

    /// <summary>
    /// The error for an unknown sender (HTTP 403 UNKNOWN_LEADER): names the field, the id, the node
    /// refusing, the voters it knows and, in <paramref name="outcome"/>, what was refused and left unchanged.
    /// </summary>
    public static UnknownLeaderException Refusal(VoterSet voters, string selfId, string idField, string id, string outcome)
    {
        ArgumentNullException.ThrowIfNull(voters);
        return new UnknownLeaderException(
            $"{idField} '{id}' is not a voter known to node '{selfId}' (voters: {string.Join(", ", voters.Ids.Order(StringComparer.Ordinal))}); {outcome}");
    }
}
