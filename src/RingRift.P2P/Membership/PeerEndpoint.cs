namespace RingRift.P2P.Membership;

/// <summary>Where a node's HTTP API answers.</summary>
public sealed record PeerEndpoint(string Host, int Port)
{
    public Uri BaseUri => new($"http://{(Host.Contains(':') && !Host.StartsWith('[') ? $"[{Host}]" : Host)}:{Port}/");

    public override string ToString() => Host.Contains(':') && !Host.StartsWith('[') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
