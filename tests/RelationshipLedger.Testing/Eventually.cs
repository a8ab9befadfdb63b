namespace RelationshipLedger.Testing;

/// <summary>Waits for a condition with a deadline, polling; never a fixed sleep.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> ReturnsAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> isDone,
        string waitingFor,
        TimeSpan? timeout = null
    )
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(isDone);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var value = await probe();
            if (isDone(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"Gave up waiting for {waitingFor} after {(timeout ?? DefaultTimeout).TotalSeconds:0} s."
                );
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
        }
    }

    public static Task IsTrueAsync(Func<Task<bool>> condition, string waitingFor, TimeSpan? timeout = null) =>
        ReturnsAsync(condition, done => done, waitingFor, timeout);
}
