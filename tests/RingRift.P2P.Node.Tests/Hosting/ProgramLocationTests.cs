using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// How local-cluster starts its child nodes and what a job's <c>{ringrift_p2p}</c> is, in each shape the
/// program runs in: the release's single-file executable, an SDK build (dotnet run, the tests), the dotnet
/// tool, and <c>dotnet ringrift-p2p.dll</c>.
/// </summary>
public sealed class ProgramLocationTests
{
    [Fact]
    public void SingleFile_IsTheProcessItself_WhateverItIsNamed()
    {
        // Inside a single-file executable the assembly has no path of its own.
        var command = ProgramLocation.Resolve("", "/opt/ringrift/ringrift-p2p-linux-arm64", _ => true);

        Assert.Equal("/opt/ringrift/ringrift-p2p-linux-arm64", command.File);
        Assert.Empty(command.Prefix);
    }

    [Fact]
    public void SdkBuild_IsTheApphostBesideTheAssembly_EvenUnderAnotherHost()
    {
        var command = ProgramLocation.Resolve("/src/bin/Release/net10.0/ringrift-p2p.dll", "/src/tests/bin/testhost",
            path => path == "/src/bin/Release/net10.0/ringrift-p2p");

        Assert.Equal("/src/bin/Release/net10.0/ringrift-p2p", command.File);
        Assert.Empty(command.Prefix);
    }

    [Fact]
    public void DotnetTool_IsItsShim()
    {
        // The tool package holds no apphost; the process is the shim dotnet tool install wrote.
        var command = ProgramLocation.Resolve("/home/op/.dotnet/tools/.store/ringrift-p2p/1.0.0/ringrift-p2p/1.0.0/tools/net10.0/any/ringrift-p2p.dll",
            "/home/op/.dotnet/tools/ringrift-p2p", _ => false);

        Assert.Equal("/home/op/.dotnet/tools/ringrift-p2p", command.File);
        Assert.Empty(command.Prefix);
    }

    [Fact]
    public void DotnetDll_IsTheRunningDotnetHostWithTheAssembly()
    {
        var command = ProgramLocation.Resolve("/opt/ringrift/ringrift-p2p.dll", "/usr/share/dotnet/dotnet", _ => false);

        Assert.Equal("/usr/share/dotnet/dotnet", command.File);
        Assert.Equal(["/opt/ringrift/ringrift-p2p.dll"], command.Prefix);
    }

    [Fact]
    public void UnderAnotherProgram_WithoutApphost_IsDotnetFromThePathWithTheAssembly()
    {
        var command = ProgramLocation.Resolve("/opt/ringrift/ringrift-p2p.dll", "/opt/tests/testhost", _ => false);

        Assert.Equal("dotnet", command.File);
        Assert.Equal(["/opt/ringrift/ringrift-p2p.dll"], command.Prefix);
    }

    [Fact]
    public void Current_InTheTestHost_IsTheApphostTheBuildPutBesideTheTests()
    {
        var command = ProgramLocation.Current();

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "ringrift-p2p"), command.File);
        Assert.True(File.Exists(command.File));
    }

    [Fact]
    public void Given_AnAssemblyRunsUnderDotnet_AnExecutableRunsItself()
    {
        // What --node-program PATH of the benches and local-cluster's programPath name.
        var dll = ProgramLocation.Given("/opt/build/ringrift-p2p.dll");
        var exe = ProgramLocation.Given("/opt/release/ringrift-p2p-linux-x64");

        Assert.Equal("dotnet", dll.File);
        Assert.Equal(["/opt/build/ringrift-p2p.dll"], dll.Prefix);
        Assert.Equal("/opt/release/ringrift-p2p-linux-x64", exe.File);
        Assert.Empty(exe.Prefix);
    }
}
