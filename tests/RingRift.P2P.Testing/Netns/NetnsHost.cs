namespace RingRift.P2P.Testing.Netns;

/// <summary>One host of a <see cref="NetnsTestBed"/>: a network namespace with one interface on the bridge.</summary>
/// <param name="Index">1-based; the last octet of <paramref name="Address"/>.</param>
/// <param name="Namespace">The namespace's name (<c>ip netns exec</c> takes it).</param>
/// <param name="Address">The host's IPv4 address on the bridge (its interface is <see cref="Interface"/>).</param>
public sealed record NetnsHost(int Index, string Namespace, string Address)
{
    /// <summary>The host's one interface besides <c>lo</c>, its end of the veth pair to the bridge.</summary>
    public const string Interface = "eth0";

    /// <inheritdoc/>
    public override string ToString() => $"host {Index} ({Address})";
}
