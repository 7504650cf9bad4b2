namespace RingRift.P2P.Election;

/// <summary>
/// What one voter has promised, as persisted and as reported by <see cref="LeaseVoter.Snapshot"/>.
/// </summary>
/// <param name="Holder">Candidate the voter last granted to (null after a release or when never granted).
/// The grant is in force for one lease from the moment it was given, measured on the voter's monotonic clock.</param>
/// <param name="HolderEpoch">Epoch of that grant (0 when none).</param>
/// <param name="ExpiresAt">Wall-clock end of the grant as granted, for whoever reads the file (the voter decides on
/// its monotonic clock, see <see cref="LeaseVoter"/>); null when no grant is held.</param>
/// <param name="HighestEpoch">Highest epoch this voter has granted or observed; older epochs are refused.</param>
/// <param name="HighestEpochHolder">The one candidate allowed to hold <paramref name="HighestEpoch"/>
/// (null when the epoch was only observed without a known owner).</param>
public sealed record VoterState(
    string? Holder,
    long HolderEpoch,
    DateTimeOffset? ExpiresAt,
    long HighestEpoch,
    string? HighestEpochHolder)
{
    /// <summary>A voter that has never granted anything.</summary>
    public static VoterState Empty { get; } = new(null, 0, null, 0, null);
}
