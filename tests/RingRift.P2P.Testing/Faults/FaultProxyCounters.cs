namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// A snapshot of one <see cref="FaultProxy"/>'s tallies since it started.
/// </summary>
/// <param name="Accepted">Connections accepted by the listener, whatever happened to them next.</param>
/// <param name="Cut">Forwarded connections reset by a block (<see cref="FaultProxy.Block"/>, <see cref="FaultProxy.BlockAll"/>).</param>
/// <param name="RefusedByBlock">Connections accepted and reset at once because their source was blocked.</param>
/// <param name="BytesForwarded">Payload bytes written onward, both directions summed.</param>
public readonly record struct FaultProxyCounters(long Accepted, long Cut, long RefusedByBlock, long BytesForwarded);
