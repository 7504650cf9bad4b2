using RingRift.P2P.Election;

namespace RingRift.P2P.Storage;

/// <summary>
/// A lease voter's store that keeps saving when the disk fills up: a save that fails for lack of space is
/// reported to <see cref="StorageHealth"/> (which flags the node full and deletes its reserve file) and
/// tried once more in the room that freed. Without it a full disk stops a leader's lease renewals and a
/// node that could still serve reads loses its leadership (and with it every read routed to the leader).
/// </summary>
public sealed class ReservedLeaseStateStore(ILeaseStateStore inner, StorageHealth storage, string path) : ILeaseStateStore
{
    public VoterState? Load() => inner.Load();

    /// <exception cref="StorageFullException">Still no room after the reserve was released.</exception>
    public void Save(VoterState state)
    {
        try
        {
            inner.Save(state);
        }
        catch (IOException e) when (OutOfSpace.Is(e))
        {
            var full = storage.Report(path, e);
            try
            {
                inner.Save(state);
            }
            catch (IOException again) when (OutOfSpace.Is(again))
            {
                throw new StorageFullException(path, full.Message, again);
            }
        }
    }
}
