namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// Network namespaces cannot be made on this machine: not root, or <c>ip</c> (iproute2) or <c>nft</c>
/// (nftables) missing. The message is one line naming what is missing and how to get it.
/// </summary>
public sealed class NetnsUnavailableException(string message) : Exception(message);
