using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Testing.Ports;
using Xunit;

namespace RingRift.P2P.Tests.TestKit;

public sealed class TestPortsTests
{
    [Fact]
    public void Ports_are_distinct_below_the_ephemeral_range_and_bindable_for_TCP_and_UDP()
    {
        int[] ports = TestPorts.Free(20);

        Assert.Equal(20, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 20000, 32767));
        foreach (int port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        }
    }

    [Fact]
    public void A_handed_out_port_stays_locked_against_other_processes()
    {
        int port = TestPorts.Free();
        string lockFile = Path.Combine(Path.GetTempPath(), "ringrift-p2p-test-ports", $"{port}.lock");

        // util-linux flock in another process: -n fails at once (exit 1) when the lock is held elsewhere
        using var other = Process.Start(new ProcessStartInfo("flock", ["-n", lockFile, "true"]))!;
        other.WaitForExit();

        Assert.Equal(1, other.ExitCode);
    }
}
