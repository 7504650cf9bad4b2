using System.Globalization;
using System.Net.Sockets;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// The test bed's faults, seen by real processes: two nodes in two namespaces; datagrams sent from inside
/// one host (bash's <c>/dev/udp</c>) to the other node's SWIM port, which counts them by why it could not
/// decode them: the probes (first byte not SWIM's version) as <c>UnknownVersion</c>, a marker (the version
/// byte alone) as <c>Truncated</c>. A fault must show as probes missing and a heal as probes arriving
/// again; "none arrived" is read once a marker sent from the observer (never faulted) after them has
/// been counted, since the node counts datagrams in the order they came. Trait <c>Category=Netns</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class NetnsFaultTests : IClassFixture<NetnsPairFixture>
{
    private const int Burst = 20;
    private const string Probe = "UnknownVersion";
    private const string Marker = "Truncated";
    private readonly NetnsPairFixture _pair;

    public NetnsFaultTests(NetnsPairFixture pair)
    {
        _pair = pair;
        pair.Bed.HealAll();
        foreach (var host in pair.Bed.Hosts) pair.Bed.RemoveBandwidthLimit(host);
    }

    private NetnsTestBed Bed => _pair.Bed;

    [Fact]
    public async Task AProcessInOneHostReachesTheOtherHostsNodeOverTheBridge()
    {
        var (code, answer, error) = Bed.Run(_pair.A.Host, "bash", "-c",
            $"exec 3<>/dev/tcp/{_pair.B.Host.Address}/{NetnsNode.HttpPort} && printf 'GET /status HTTP/1.0\\r\\nHost: b\\r\\n\\r\\n' >&3 && cat <&3");

        Assert.True(code == 0, error);
        Assert.Contains("200 OK", answer);
        Assert.Contains("\"node_id\":\"node-2\"", answer);
        Assert.Equal("node-1", (await _pair.A.GetJsonAsync("/status"))["node_id"]?.GetValue<string>()); // and the observer reaches both
    }

    [Fact]
    public async Task FullLoss_DropsEverythingTheHostSends_AndNoLossDeliversItAgain()
    {
        await AssertDeliveredAsync(_pair.A, _pair.B, Burst); // the control: without faults every probe arrives

        Bed.SetLoss(_pair.A.Host, 100);
        await AssertDeliveredAsync(_pair.A, _pair.B, 0);

        Bed.SetLoss(_pair.A.Host, 0);
        await AssertDeliveredAsync(_pair.A, _pair.B, Burst);
    }

    [Fact]
    public async Task PartialLoss_DropsSomeDatagramsButNotAll()
    {
        Bed.SetLoss(_pair.A.Host, 50);
        var before = await _pair.B.SwimDecodeDropsAsync(Probe);
        Send(_pair.A, _pair.B, 200);
        var arrived = await AfterMarkerAsync(_pair.B, before);

        // 200 draws at 50 %: outside 40–160 with a probability below 10^-17.
        Assert.InRange(arrived, 40, 160);
    }

    [Fact]
    public async Task OneWayCut_DropsOnlyThatDirection_AndHealRestoresIt()
    {
        Bed.Block(_pair.A.Host, _pair.B.Host);

        await AssertDeliveredAsync(_pair.A, _pair.B, 0);
        await AssertDeliveredAsync(_pair.B, _pair.A, Burst);

        Bed.Heal(_pair.A.Host, _pair.B.Host);
        await AssertDeliveredAsync(_pair.A, _pair.B, Burst);
    }

    [Fact]
    public async Task TwoWayCut_DropsBothDirections_AndHealRestoresBoth()
    {
        Bed.Partition(_pair.A.Host, _pair.B.Host);

        await AssertDeliveredAsync(_pair.A, _pair.B, 0);
        await AssertDeliveredAsync(_pair.B, _pair.A, 0);
        Assert.Equal("node-2", (await _pair.B.GetJsonAsync("/status"))["node_id"]?.GetValue<string>()); // the observer is never cut off

        Bed.Heal(_pair.A.Host, _pair.B.Host);
        await AssertDeliveredAsync(_pair.A, _pair.B, Burst);
        await AssertDeliveredAsync(_pair.B, _pair.A, Burst);
    }

    [Fact]
    public async Task BandwidthLimit_DropsWhatExceedsTheBucket_AndRemovingItDeliversEverything()
    {
        const int Datagrams = 50; // 1,000 bytes each, sent at once: 50 kB (well within the receiver's socket buffer)
        Bed.LimitBandwidth(_pair.A.Host, 64); // 8 kB/s: a 3 kB bucket and 100 ms of queue let only a few through
        var before = await _pair.B.SwimDecodeDropsAsync(Probe);
        Send(_pair.A, _pair.B, Datagrams, size: 1000);
        var arrived = await AfterMarkerAsync(_pair.B, before);
        Assert.InRange(arrived, 1, Datagrams / 2);

        Bed.RemoveBandwidthLimit(_pair.A.Host);
        before = await _pair.B.SwimDecodeDropsAsync(Probe);
        Send(_pair.A, _pair.B, Datagrams, size: 1000);
        await Eventually.Until(() => _pair.B.SwimDecodeDropsAsync(Probe), n => n >= before + Datagrams, $"all {Datagrams} datagrams without the limit", NetnsNode.ProcessWait);
        Assert.Equal(Datagrams, await AfterMarkerAsync(_pair.B, before));
    }

    /// <summary>
    /// Sends <see cref="Burst"/> probes from <paramref name="from"/>'s host to <paramref name="to"/>'s SWIM
    /// port and checks that exactly <paramref name="expected"/> of them arrive.
    /// </summary>
    private async Task AssertDeliveredAsync(NetnsNode from, NetnsNode to, int expected)
    {
        var before = await to.SwimDecodeDropsAsync(Probe);
        Send(from, to, Burst);
        if (expected > 0)
        {
            await Eventually.Until(() => to.SwimDecodeDropsAsync(Probe), n => n >= before + expected,
                $"{expected} datagrams from {from.Id} at {to.Id}", NetnsNode.ProcessWait);
        }

        Assert.Equal(expected, await AfterMarkerAsync(to, before)); // exactly: none when cut, and not more
    }

    /// <summary>Sends <paramref name="count"/> probes of <paramref name="size"/> bytes from inside <paramref name="from"/>'s host (a send refused by a drop rule is no error here).</summary>
    private void Send(NetnsNode from, NetnsNode to, int count, int size = 1)
    {
        var script = string.Create(CultureInfo.InvariantCulture,
            $"for i in $(seq {count}); do printf '%{size}s' x 2>/dev/null >/dev/udp/{to.Host.Address}/{NetnsNode.SwimPort}; done; exit 0");
        var (code, _, error) = Bed.Run(from.Host, "bash", "-c", script);
        Assert.True(code == 0, $"sending from {from.Id}: {error}");
    }

    /// <summary>
    /// Sends a marker from the observer to <paramref name="to"/>, waits until it is counted, and returns how
    /// many probes <paramref name="to"/> counted since <paramref name="before"/> (all of them that came before the marker).
    /// </summary>
    private static async Task<long> AfterMarkerAsync(NetnsNode to, long before)
    {
        var markers = await to.SwimDecodeDropsAsync(Marker);
        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            await udp.SendAsync(new byte[] { 1 }, to.Host.Address, NetnsNode.SwimPort); // SWIM's version byte, then nothing
        }

        await Eventually.Until(() => to.SwimDecodeDropsAsync(Marker), n => n > markers, $"the marker at {to.Id}", NetnsNode.ProcessWait);
        return await to.SwimDecodeDropsAsync(Probe) - before;
    }
}
