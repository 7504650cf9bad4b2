using RingRift.P2P.Yaml;

namespace RingRift.P2P.Hosts;

/// <summary>
/// The hosts file cannot be read or holds a bad value. The message names the file, the line and
/// the key, e.g. <c>distributed_hosts.yaml line 12: key 'hosts.vast-4090-7.p2p_port': expected an
/// integer from 1 to 65535, got 'abc'</c>.
/// </summary>
public sealed class HostsFileException(string sourceName, int? line, string? key, string problem, Exception? inner = null)
    : YamlFileException(sourceName, line, key, problem, inner);
