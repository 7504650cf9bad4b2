using System.Net;
using RingRift.P2P.Testing.Faults;
using Xunit;

namespace RingRift.P2P.Tests.Faults;

// Sample rows in the layout of proc(5) /proc/net/tcp, as a little-endian host prints them.
public class ProcNetTcpEntryTests
{
    private const string Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private const string Established = "   1: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 123456 1 0000000000000000 20 4 30 10 -1";
    private const string TimeWait = "   2: 0100007F:A1B3 0100007F:1F90 06 00000000:00000000 03:00000F2A 00000000     0        0 0 3 0000000000000000";
    private const string Listen = "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 590 1 0000000080162a8d 100 0 0 10 0";
    private const string Mapped6 = "   0: 0000000000000000FFFF00000100007F:C350 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 20 4 0 10 -1";

    [Fact]
    public void TryParse_ReadsEndpointsStateAndInode_OfAnIPv4Row()
    {
        Assert.True(ProcNetTcpEntry.TryParse(Established, out ProcNetTcpEntry entry));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0xA1B2), entry.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), entry.Remote);
        Assert.Equal(ProcTcpState.Established, entry.State);
        Assert.Equal(123456UL, entry.Inode);
    }

    [Fact]
    public void TryParse_ReadsListenRow_WithWildcardAddress()
    {
        Assert.True(ProcNetTcpEntry.TryParse(Listen, out ProcNetTcpEntry entry));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 2024), entry.Local);
        Assert.Equal(ProcTcpState.Listen, entry.State);
        Assert.Equal(590UL, entry.Inode);
    }

    [Fact]
    public void TryParse_ReturnsIPv4_ForAnIPv4MappedTcp6Row()
    {
        Assert.True(ProcNetTcpEntry.TryParse(Mapped6, out ProcNetTcpEntry entry));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 50000), entry.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), entry.Remote);
        Assert.Equal(777UL, entry.Inode);
    }

    [Theory]
    [InlineData("0F02000A:0016", "10.0.2.15", 22)] // bytes of each word are printed in host order
    [InlineData("00000000000000000000000001000000:0016", "::1", 22)]
    [InlineData("B80D0120000000000000000001000000:FFFF", "2001:db8::1", 65535)]
    public void TryParseEndPoint_DecodesHostOrderWords(string text, string address, int port)
    {
        Assert.True(ProcNetTcpEntry.TryParseEndPoint(text, out IPEndPoint? endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData(Header)]
    [InlineData("")]
    [InlineData("   1: 0100007F:A1B2 0100007F:1F90 01")] // truncated
    [InlineData("   1: 0100007F 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 1 1")] // no port
    [InlineData("   1: 01007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 1 1")] // 6 hex digits
    [InlineData("   1: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 x 1")] // bad inode
    public void TryParse_RejectsHeaderAndMalformedLines(string line)
    {
        Assert.False(ProcNetTcpEntry.TryParse(line, out _));
    }

    [Fact]
    public void ParseAll_SkipsTheHeader()
    {
        ProcNetTcpEntry[] entries = ProcNetTcpEntry.ParseAll([Header, Listen, Established, TimeWait]).ToArray();
        Assert.Equal([590UL, 123456UL, 0UL], entries.Select(e => e.Inode));
    }

    [Fact]
    public void FindClientSocketInode_MatchesBothEnds_WhenOneSourcePortServesTwoDestinations()
    {
        // Linux reuses an ephemeral port towards different destinations: only the remote end tells them apart
        var client = new IPEndPoint(IPAddress.Loopback, 41394);
        ProcNetTcpEntry[] rows =
        [
            new(client, new IPEndPoint(IPAddress.Loopback, 8080), ProcTcpState.Established, 111),
            new(client, new IPEndPoint(IPAddress.Loopback, 9090), ProcTcpState.Established, 222),
            new(new IPEndPoint(IPAddress.Loopback, 8080), client, ProcTcpState.Established, 333), // the accepted end
        ];

        Assert.Equal(111UL, LoopbackConnectionOwner.FindClientSocketInode(rows, client, new IPEndPoint(IPAddress.Loopback, 8080)));
        Assert.Equal(222UL, LoopbackConnectionOwner.FindClientSocketInode(rows, client, new IPEndPoint(IPAddress.Loopback, 9090)));
        Assert.Null(LoopbackConnectionOwner.FindClientSocketInode(rows, client, new IPEndPoint(IPAddress.Loopback, 7070)));
    }

    [Fact]
    public void FindClientSocketInode_AcceptsIPv4MappedEndpoints_AndIgnoresClosedSockets()
    {
        var client = new IPEndPoint(IPAddress.Loopback, 41394);
        var server = new IPEndPoint(IPAddress.Loopback, 8080);
        ProcNetTcpEntry[] rows = [new(client, server, ProcTcpState.TimeWait, 0), new(client, server, ProcTcpState.Established, 42)];

        var mappedClient = new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 41394);
        var mappedServer = new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 8080);
        Assert.Equal(42UL, LoopbackConnectionOwner.FindClientSocketInode(rows, mappedClient, mappedServer));
        Assert.Null(LoopbackConnectionOwner.FindClientSocketInode(rows[..1], client, server));
    }
}
