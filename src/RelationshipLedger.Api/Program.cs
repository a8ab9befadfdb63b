var app = WebApplication.CreateBuilder(args).Build();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
