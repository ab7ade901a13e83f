package dev.miniplatform.model.template;

import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtConfigSchemaTest {

    static final String SHOP_SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object",
             "required": ["shopName", "theme"],
             "properties": {
               "shopName": {"type": "string", "minLength": 2},
               "theme": {"type": "object", "required": ["color"],
                         "properties": {"color": {"type": "string", "pattern": "^#[0-9a-f]{6}$"}}},
               "tables": {"type": "array", "items": {"$ref": "#/$defs/table"}}
             },
             "$defs": {"table": {"type": "integer", "minimum": 1}},
             "additionalProperties": false}""";

    @Test
    void aValidConfigHasNoErrors() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", SHOP_SCHEMA);
        var config = ExtConfigSchema.readConfig("extConfig", """
                {"shopName": "Tea", "theme": {"color": "#00ff00"}, "tables": [1, 2]}""");

        assertThat(schema.check("extConfig", config)).isEmpty();
    }

    @Test
    void everyFailingValueIsReportedWithItsJsonPointer() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", SHOP_SCHEMA);
        var config = ExtConfigSchema.readConfig("extConfig", """
                {"shopName": "T", "theme": {"color": "green"}, "tables": [1, 0], "extra": true}""");

        List<FieldError> errors = schema.check("items[3].extConfig", config);

        assertThat(errors).extracting(FieldError::field).contains(
                "items[3].extConfig/shopName", "items[3].extConfig/theme/color", "items[3].extConfig/tables/1",
                "items[3].extConfig/extra");
        assertThat(errors).extracting(FieldError::code).contains("minLength", "pattern", "minimum", "additionalProperties");
    }

    @Test
    void aMissingRequiredPropertyIsReportedAtThePointerItWouldHave() {
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", SHOP_SCHEMA);

        List<FieldError> errors = schema.check("extConfig", ExtConfigSchema.readConfig("extConfig", "{\"theme\": {}}"));

        assertThat(errors).extracting(FieldError::field, FieldError::code).contains(
                org.assertj.core.groups.Tuple.tuple("extConfig/shopName", "required"),
                org.assertj.core.groups.Tuple.tuple("extConfig/theme/color", "required"));
    }

    @Test
    void aSchemaThatIsNotASchemaIsRefused() {
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema", "{\"type\": \"colour\", \"minLength\": -1}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).allMatch(field -> field.startsWith("extSchema")).isNotEmpty());
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema", "{\"required\": \"name\"}"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void notJsonNotAnObjectAndOtherDialectsAreRefused() {
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema", "{not json"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().code()).isEqualTo("json"));
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema", "[1]"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().code()).isEqualTo("schema"));
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema", "{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().code()).isEqualTo("dialect"));
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema", " "))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().getFirst().code()).isEqualTo("required"));
    }

    @Test
    void referencesOutsideTheDocumentAreRefusedSoNothingIsEverFetched() {
        assertThatThrownBy(() -> ExtConfigSchema.parse("extSchema",
                "{\"properties\": {\"a\": {\"$ref\": \"http://169.254.169.254/latest/meta-data\"}}}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::code)
                        .contains(org.assertj.core.groups.Tuple.tuple("extSchema/properties/a/$ref", "external-ref")));
    }

    @Test
    void deeplyNestedInputIsRefusedAsJson() {
        String deep = "[".repeat(100) + "]".repeat(100);
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", "{}");

        assertThatThrownBy(() -> ExtConfigSchema.readConfig("extConfig", deep)).isInstanceOf(InvalidInputException.class);
        assertThat(schema.check("extConfig", ExtConfigSchema.readConfig("extConfig", "{\"any\": 1}"))).isEmpty();
    }
}
