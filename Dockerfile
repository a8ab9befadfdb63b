# The ledger's API as a container, with the `ledger` command beside it (for the migrator service and
# for operators: `docker compose run --rm migrate …`); docker-compose.yml runs them beside PostgreSQL.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/RelationshipLedger.Api -c Release -o /app \
 && dotnet publish tools/RelationshipLedger.Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "RelationshipLedger.Api.dll"]
