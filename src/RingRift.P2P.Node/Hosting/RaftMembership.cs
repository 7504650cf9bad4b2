using System.Net;
using System.Net.NetworkInformation;
using RingRift.P2P.Config;
using RingRift.P2P.Hosts;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// The Raft group as this node sees it: every member's "host:port" (this node included) and which
/// one is this node. <see cref="Self"/> is null when the node is not a member (it then forwards
/// queue calls to a member). <see cref="Source"/> says where the list came from.
/// </summary>
public sealed record RaftMembership(IReadOnlyList<string> Members, string? Self, string Source)
{
    /// <summary>Node ids of the members when the hosts file named them (else empty).</summary>
    public IReadOnlyList<string> MemberIds { get; init; } = [];

    /// <summary>This node alone: the group used when nothing names partners.</summary>
    public static RaftMembership SingleNode(string host, int port, string source) =>
        new([Format(host, port)], Format(host, port), source);

    public bool IsMember => Self is not null;

    public bool IsSingleNode => Members.Count == 1 && IsMember;

    /// <summary>
    /// Members from, in order: the hosts file's <c>raft_members</c>, else its <c>p2p_voters</c> (ids
    /// resolved to each host's address and raft_port), else <paramref name="peers"/>
    /// (--raft-peers / RINGRIFT_RAFT_PEERS, all members, self included), else this node alone.
    /// From a peer list, this node is <paramref name="raftAdvertise"/> (--raft-advertise) when given,
    /// else the entry on <paramref name="raftPort"/> whose host is <paramref name="advertise"/> or an
    /// address of this machine.
    /// </summary>
    /// <remarks>
    /// A group id with no entry (or no address) under <c>hosts:</c> is an error naming the file, the
    /// line and the list item; with a collecting <paramref name="problems"/> every such id is reported.
    /// </remarks>
    public static RaftMembership Resolve(string nodeId, int raftPort, DistributedHostsConfig? inventory,
        IReadOnlyList<string> peers, string peersSource, string? advertise, string? raftAdvertise = null, ConfigProblems? problems = null)
    {
        problems ??= ConfigProblems.ThrowFirst;
        if (inventory is not null && inventory.RaftGroup().Count > 0)
        {
            var source = inventory.RaftMembers.Count > 0 ? "raft_members" : "p2p_voters";
            var members = new List<string>();
            string? self = null;
            foreach (var id in inventory.RaftGroup())
            {
                if (!inventory.Hosts.TryGetValue(id, out var host) || string.IsNullOrEmpty(host.Address))
                {
                    var missing = host is null ? "no entry under 'hosts'" : "no ssh_host or tailscale_ip in its entry";
                    problems.Add(inventory.Error(inventory.KeyOf(source, id), source == "raft_members"
                        ? $"Raft member '{id}' has {missing}; every raft_members id needs a host entry with an address"
                        : $"voter '{id}' has {missing}; with no raft_members, p2p_voters is the Raft group and every id needs a host entry with an address"));
                    continue;
                }
                var address = Format(host.Address, id == nodeId ? raftPort : host.RaftPort);
                members.Add(address);
                if (id == nodeId) self = address;
            }
            return new RaftMembership(members, self, source) { MemberIds = inventory.RaftGroup().ToArray() };
        }
        if (peers.Count > 0)
        {
            var members = new List<string>();
            foreach (var peer in peers)
            {
                (string host, int port) = P2PConfig.ParsePeerAddress(peer);
                var address = Format(host, port);
                if (!members.Contains(address, StringComparer.OrdinalIgnoreCase)) members.Add(address);
            }
            if (raftAdvertise is not null)
            {
                (string host, int port) = P2PConfig.ParsePeerAddress(raftAdvertise);
                var self = Format(host, port);
                if (!members.Contains(self, StringComparer.OrdinalIgnoreCase))
                    throw new P2PConfigException("--raft-advertise", raftAdvertise, $"one of the Raft members ({string.Join(", ", members)})");
                return new RaftMembership(members, members.First(m => string.Equals(m, self, StringComparison.OrdinalIgnoreCase)), peersSource);
            }
            var candidates = members.Where(m => PortOf(m) == raftPort && IsThisMachine(HostOf(m), advertise)).ToList();
            if (candidates.Count > 1)
                throw new P2PConfigException(peersSource, string.Join(",", peers), $"exactly one entry for this node (port {raftPort} on this machine); {candidates.Count} match: {string.Join(", ", candidates)}. Set --advertise-address");
            if (candidates.Count == 0)
                throw new P2PConfigException(peersSource, string.Join(",", peers), $"an entry for this node itself (this machine's address with the raft port {raftPort}); list every member, self included");
            return new RaftMembership(members, candidates[0], peersSource);
        }
        return SingleNode(advertise ?? "127.0.0.1", raftPort, "none (single-node group)");
    }

    private static string Format(string host, int port) =>
        host.Contains(':') && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

    private static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static string HostOf(string address) => address[..address.LastIndexOf(':')].Trim('[', ']');

    private static bool IsThisMachine(string host, string? advertise)
    {
        if (advertise is not null) return string.Equals(host, advertise.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(host, Dns.GetHostName(), StringComparison.OrdinalIgnoreCase)) return true;
        if (!IPAddress.TryParse(host, out var ip)) return false;
        if (IPAddress.IsLoopback(ip)) return true;
        return NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.Equals(ip));
    }
}
