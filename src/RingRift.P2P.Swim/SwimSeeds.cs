using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Hosts;

namespace RingRift.P2P.Swim;

/// <summary>Where a SWIM node looks for its first contact: from <c>distributed_hosts.yaml</c> or a host:port list.</summary>
public static class SwimSeeds
{
    /// <summary>How many active hosts become seeds when the inventory names no voters: 5.</summary>
    public const int FallbackSeedCount = 5;

    /// <summary>
    /// Seeds from an inventory, as the seed's <c>from_distributed_hosts</c>: the voters
    /// (<c>p2p_voters</c>, else hosts with <c>voter: true</c>) that are active and have an address;
    /// when there are none, the first <see cref="FallbackSeedCount"/> active hosts with an address, in
    /// file order. <paramref name="nodeId"/> itself is never a seed.
    /// </summary>
    /// <remarks>Port: a host's <c>swim_port</c> when it differs from the default 7947, else
    /// <paramref name="bindPort"/> (the cluster-wide SWIM port). A host that sets <c>swim_port: 7947</c>
    /// explicitly cannot be told from one that does not set it.</remarks>
    public static IReadOnlyList<SwimEndpoint> FromDistributedHosts(DistributedHostsConfig config, string nodeId, int bindPort)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(nodeId);
        CheckPort(bindPort, nameof(bindPort));
        const int DefaultSwimPort = 7947;
        bool Usable(HostEntry h) => h.Id != nodeId && h.IsActive && !string.IsNullOrWhiteSpace(h.Address);
        SwimEndpoint Seed(HostEntry h) => new(h.Address!, h.SwimPort != DefaultSwimPort ? h.SwimPort : bindPort);

        var voters = config.Voters()
            .Select(id => config.Hosts.TryGetValue(id, out HostEntry? h) ? h : null)
            .OfType<HostEntry>()
            .Where(Usable)
            .Select(Seed)
            .Distinct()
            .ToList();
        if (voters.Count > 0)
        {
            return voters;
        }

        return config.ActiveHosts().Where(Usable).Select(Seed).Distinct().Take(FallbackSeedCount).ToList();
    }

    /// <summary>
    /// Parses <c>host:port,host:port</c> (IPv6 as <c>[::1]:7947</c>); blanks between commas are skipped.
    /// </summary>
    /// <exception cref="FormatException">An entry is not host:port with a port 1..65535; the message names it.</exception>
    public static IReadOnlyList<SwimEndpoint> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry =>
            {
                (string host, int port) = Config.P2PConfig.ParsePeerAddress(entry);
                return new SwimEndpoint(host, port);
            })
            .Distinct()
            .ToList();
    }

    /// <summary>
    /// Turns host names into IP addresses (the UDP transport needs literals): literals pass through;
    /// a name takes its first address of <paramref name="family"/>. Names that do not resolve are left
    /// out and reported in <paramref name="unresolved"/>; this never throws for DNS trouble.
    /// </summary>
    public static async Task<IReadOnlyList<SwimEndpoint>> ResolveAsync(IEnumerable<SwimEndpoint> seeds, AddressFamily family,
        List<string> unresolved, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(unresolved);
        var result = new List<SwimEndpoint>();
        foreach (SwimEndpoint seed in seeds)
        {
            if (IPAddress.TryParse(seed.Address, out IPAddress? literal))
            {
                result.Add(new SwimEndpoint(literal.ToString(), seed.Port));
                continue;
            }

            try
            {
                IPAddress[] addresses = await Dns.GetHostAddressesAsync(seed.Address, family, ct).ConfigureAwait(false);
                if (addresses.Length > 0)
                {
                    result.Add(new SwimEndpoint(addresses[0].ToString(), seed.Port));
                    continue;
                }

                unresolved.Add($"{seed}: no {family} address");
            }
            catch (SocketException ex)
            {
                unresolved.Add($"{seed}: {ex.SocketErrorCode}");
            }
        }

        return result.Distinct().ToList();
    }

    internal static void CheckPort(int port, string name)
    {
        if (port is < 1 or > 65_535)
        {
            throw new ArgumentOutOfRangeException(name, port, $"{name} is {port}; allowed: 1 to 65535.");
        }
    }
}
