<?xml version="1.0" encoding="UTF-8"?>
<!-- sanigrid style: households beyond the radius per village, as a label on the village (rows of coverage_stats with unit_type division and level admin_village, drawn on division shapes by unit_code; households x (1 - covered_network_share)). Labels only: the households themselves are drawn by coverage.sld.
     SLD 1.1 / SE 1.1 in the subset described in styles/README.md.
     Rule Title = Chinese legend text, Abstract = English.
     SPDX-License-Identifier: MIT -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld"
    xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>coverage_villages</se:Name>
    <UserStyle>
      <se:Name>coverage_villages</se:Name>
      <se:Description>
        <se:Title>各村半径外户数</se:Title>
        <se:Abstract>Households beyond the radius per village</se:Abstract>
      </se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>beyond_label</se:Name>
          <se:Description>
            <se:Title>村名与半径外户数</se:Title>
            <se:Abstract>Village and households beyond the radius</se:Abstract>
          </se:Description>
          <ogc:Filter>
            <ogc:And>
              <ogc:PropertyIsEqualTo>
                <ogc:PropertyName>unit_type</ogc:PropertyName>
                <ogc:Literal>division</ogc:Literal>
              </ogc:PropertyIsEqualTo>
              <ogc:PropertyIsEqualTo>
                <ogc:PropertyName>level</ogc:PropertyName>
                <ogc:Literal>admin_village</ogc:Literal>
              </ogc:PropertyIsEqualTo>
            </ogc:And>
          </ogc:Filter>
          <se:TextSymbolizer>
            <!-- mixed content: "半径外107户", below the village name the
                 divisions layer draws (the name once on the map) -->
            <se:Label>半径外<ogc:Mul><ogc:PropertyName>households</ogc:PropertyName><ogc:Sub><ogc:Literal>1</ogc:Literal><ogc:PropertyName>covered_network_share</ogc:PropertyName></ogc:Sub></ogc:Mul>户</se:Label>
            <se:Font>
              <se:SvgParameter name="font-family">Noto Sans CJK SC</se:SvgParameter>
              <se:SvgParameter name="font-size">14</se:SvgParameter>
              <se:SvgParameter name="font-weight">bold</se:SvgParameter>
            </se:Font>
            <se:Halo>
              <se:Radius>2.5</se:Radius>
              <se:Fill>
                <se:SvgParameter name="fill">#ffffff</se:SvgParameter>
              </se:Fill>
            </se:Halo>
            <se:Fill>
              <se:SvgParameter name="fill">#b71c1c</se:SvgParameter>
            </se:Fill>
          </se:TextSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
