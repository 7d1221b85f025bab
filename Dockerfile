# The production image: the shaded jar plus the operator-editable config/, routes/ and templates/.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 mailbus
WORKDIR /opt/mailbus
COPY --from=build /src/target/mailbus-*-app.jar mailbus.jar
COPY config config
COPY routes routes
COPY templates templates
USER mailbus
EXPOSE 8080 9876
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "mailbus.jar"]
