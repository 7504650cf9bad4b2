using System.Globalization;
using System.Text.Json;
using RingRift.P2P.Swim;
using RingRift.P2P.Swim.Net;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Bench;

/// <summary>
/// <c>swim-member</c> (hidden; started by <c>swim-kill</c>): hosts one <see cref="SwimNode"/> on
/// 127.0.0.1 UDP/TCP with <see cref="TimeProvider.System"/> until it is killed or its standard input
/// closes (so it never outlives a parent that died without cleaning up).
/// </summary>
/// <remarks>
/// Options: <c>--id</c> node id (required); <c>--token</c> cluster token (required); <c>--seeds</c>
/// comma-separated <c>address:port</c> list (empty starts a new cluster); <c>--port</c> (0 = the OS picks,
/// the default); <c>--incarnation</c> first incarnation (0); <c>--preset</c> default|seed|lan. Once bound
/// and started it prints one JSON line <c>{"member":"ready","id":…,"port":…,"pid":…}</c> on stdout.
/// </remarks>
public static class SwimMemberCommand
{
    /// <summary>Value of the "member" field of the ready line.</summary>
    public const string ReadyMarker = "ready";

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        string id = SwimBenchOptions.Text(args, "--id", "");
        string token = SwimBenchOptions.Text(args, "--token", "");
        if (id.Length == 0)
        {
            throw new ArgumentException("--id is missing or empty; allowed: a node id of 1..128 UTF-8 bytes.");
        }

        if (token.Length == 0)
        {
            throw new ArgumentException("--token is missing or empty; allowed: the cluster token of the bench's nodes.");
        }

        SwimConfig config = SwimBenchOptions.Preset(args, out _);
        int port = SwimBenchOptions.Int(args, "--port", 0, 0);
        ulong incarnation = (ulong)SwimBenchOptions.Int(args, "--incarnation", 0, 0);
        List<SwimEndpoint> seeds = ParseEndpoints(SwimBenchOptions.Text(args, "--seeds", ""));

        await using var transport = UdpSwimTransport.Bind("127.0.0.1", port, maxPacketBytes: config.MaxPacketBytes);
        var node = new SwimNode(id, config, transport, TimeProvider.System, new Random(), PacketAuthenticator.FromClusterToken(token),
            startIncarnation: incarnation);
        node.Start(seeds);
        await output.WriteLineAsync(JsonSerializer.Serialize(new { member = ReadyMarker, id, port = transport.Local.Port, pid = Environment.ProcessId }));
        await output.FlushAsync();
        while (await input.ReadLineAsync() is not null)
        {
            // Nothing is expected on stdin; end of input means the parent is gone.
        }

        node.Stop();
        return 0;
    }

    /// <summary>Parses "a:p,b:q" into endpoints; empty text gives none.</summary>
    public static List<SwimEndpoint> ParseEndpoints(string text)
    {
        var endpoints = new List<SwimEndpoint>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65_535)
            {
                throw new ArgumentException($"--seeds entry is '{part}'; allowed: address:port with a port 1..65535.");
            }

            endpoints.Add(new SwimEndpoint(part[..colon], p));
        }

        return endpoints;
    }

    /// <summary>The inverse of <see cref="ParseEndpoints"/>.</summary>
    public static string FormatEndpoints(IEnumerable<SwimEndpoint> endpoints) =>
        string.Join(',', endpoints.Select(e => $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}"));
}
