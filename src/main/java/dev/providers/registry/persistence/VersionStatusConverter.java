package dev.providers.registry.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter(autoApply = true)
public class VersionStatusConverter implements AttributeConverter<VersionStatus, String> {

    @Override
    public String convertToDatabaseColumn(VersionStatus status) {
        return status == null ? null : status.wire();
    }

    @Override
    public VersionStatus convertToEntityAttribute(String value) {
        return value == null ? null : VersionStatus.fromWire(value);
    }
}
