using System.Net;
using System.Net.Sockets;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>
/// A TCP proxy in front of PostgreSQL that can fall silent, as a database host that stops answering
/// does: while silent it cuts the connections it carried and accepts new ones but never forwards or
/// answers a byte, so a client waits for as long as its own timeout lets it.
/// </summary>
public sealed class SilenceableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private bool _silent;

    public SilenceableProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Cuts every connection and answers none from now on.</summary>
    public void FallSilent()
    {
        lock (_lock)
        {
            _silent = true;
            foreach (var connection in _connections)
                connection.Dispose();
            _connections.Clear();
        }
    }

    /// <summary>Forwards new connections again; the ones accepted while silent stay silent.</summary>
    public void Answer()
    {
        lock (_lock)
            _silent = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_lock)
        {
            foreach (var connection in _connections)
                connection.Dispose();
            _connections.Clear();
        }
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                return;
            }
            bool silent;
            lock (_lock)
            {
                silent = _silent;
                _connections.Add(client);
            }
            if (!silent)
                _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_lock)
            _connections.Add(server);
        try
        {
            await server.ConnectAsync(_upstream, _stop.Token);
            var fromClient = client.GetStream();
            var fromServer = server.GetStream();
            await Task.WhenAny(
                fromClient.CopyToAsync(fromServer, _stop.Token),
                fromServer.CopyToAsync(fromClient, _stop.Token)
            );
        }
        catch (Exception exception)
            when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away, or the proxy cut them.
        }
        finally
        {
            lock (_lock)
            {
                _connections.Remove(client);
                _connections.Remove(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }
}
