namespace RingRift.P2P.Election;

/// <summary>
/// Durable home of a <see cref="LeaseVoter"/>'s promises. <see cref="Save"/> must be durable when it
/// returns: the voter answers a grant only after it, so a voter that crashes and restarts keeps
/// refusing other candidates until the grants it gave before the crash have expired.
/// </summary>
public interface ILeaseStateStore
{
    /// <summary>The last saved state, or null when nothing has been saved yet.</summary>
    VoterState? Load();

    void Save(VoterState state);
}
