using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using RingRift.P2P.Node.Hosting;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// Whether <c>run</c> can listen on its HTTP address, asked before the node starts anything. The host
/// starts the node's services (election, Raft, SWIM, loops) before Kestrel binds, so without this a
/// taken port is found only after the node has asked peers for leases, and it ends in a stack trace.
/// </summary>
public static class HttpPortCheck
{
    /// <summary>Binds the node's address and port for a moment; a failure becomes one line naming what sets them.</summary>
    /// <exception cref="CliException">The port is in use (exit code 1).</exception>
    /// <exception cref="CliUsageException">The address is not this machine's, or the port needs privileges (exit code 2).</exception>
    public static void EnsureFree(NodeOptions options)
    {
        var address = Address(options.BindHost);
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true; // as Kestrel binds [::]
            socket.Bind(new IPEndPoint(address, options.Port));
            socket.Listen(1);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied)
        {
            if (e.SocketErrorCode == SocketError.AddressAlreadyInUse) throw InUse(options);
            throw new CliUsageException(e.SocketErrorCode == SocketError.AccessDenied
                ? $"cannot listen on port {options.Port}: permission denied (set {V.Port} or --port)"
                : $"cannot listen on {options.BindHost}: not an address of this machine (set {V.BindHost} or --host)");
        }
        catch (SocketException)
        {
            // Any other failure (no IPv6 here, say) is left for Kestrel to meet and report.
        }
    }

    /// <summary>The error for a port another socket holds.</summary>
    public static CliException InUse(NodeOptions options) =>
        new($"port {options.Port} on {options.BindHost} is already in use (set {V.Port} or --port)");

    /// <summary>True for Kestrel's failure to bind a port another socket holds (taken after <see cref="EnsureFree"/>).</summary>
    public static bool IsAddressInUse(Exception e) => e is IOException { InnerException: AddressInUseException };

    /// <summary>The address Kestrel binds for <paramref name="bindHost"/>: an IP as given, loopback for localhost, every address for a name.</summary>
    private static IPAddress Address(string bindHost)
    {
        var host = bindHost.Trim('[', ']');
        if (host is "*" or "+") return IPAddress.Any;
        if (IPAddress.TryParse(host, out var ip)) return ip;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Any;
    }
}
